package photo

import (
	"image"
	"image/draw"
)

// shrink returns src scaled down with Catmull-Rom so that its longest
// side is at most side pixels. A YCbCr image (a JPEG's, an opaque WebP's)
// stays YCbCr, each plane scaled at its own resolution; anything else
// becomes RGBA over white, since JPEG keeps no transparency and the
// encoder would turn it black.
func shrink(src image.Image, side int) image.Image {
	b := src.Bounds()
	w, h := fit(b.Dx(), b.Dy(), side)
	if m, ok := src.(*image.YCbCr); ok {
		if w == b.Dx() && h == b.Dy() {
			return m
		}
		out := image.NewYCbCr(image.Rect(0, 0, w, h), m.SubsampleRatio)
		to, from := ycbcrPlanes(out), ycbcrPlanes(m)
		for i := range to {
			resample(to[i], from[i])
		}
		return out
	}
	full := opaque(src)
	if w == b.Dx() && h == b.Dy() {
		return full
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	resample(rgbaPlane(out), rgbaPlane(full))
	return out
}

// opaque returns m as RGBA over white: m's own pixels when they are
// already RGBA (or non-premultiplied RGBA, the same bytes) without
// transparency, a copy otherwise.
func opaque(m image.Image) *image.RGBA {
	switch m := m.(type) {
	case *image.RGBA:
		if m.Opaque() {
			return m
		}
	case *image.NRGBA:
		if m.Opaque() {
			return &image.RGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
		}
	}
	b := m.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(out, out.Bounds(), m, b.Min, draw.Over)
	return out
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
