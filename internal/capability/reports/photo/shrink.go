package photo

import (
	"image"

	"golang.org/x/image/draw"
)

// shrink returns src over white, scaled down with Catmull-Rom so that its
// longest side is at most side pixels. White, because JPEG keeps no
// transparency and the encoder would turn it black.
func shrink(src image.Image, side int) *image.RGBA {
	b := src.Bounds()
	w, h := fit(b.Dx(), b.Dy(), side)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	if w == b.Dx() && h == b.Dy() {
		draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Over)
		return dst
	}
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Over, nil)
	return dst
}

// fit returns the dimensions of a w by h picture brought down, keeping
// its proportions, to at most side pixels on its longest side.
func fit(w, h, side int) (int, int) {
	switch {
	case w <= side && h <= side:
		return w, h
	case w >= h:
		return side, max(1, (h*side+w/2)/w)
	default:
		return max(1, (w*side+h/2)/h), side
	}
}
