package photo

import "image"

// turns maps each EXIF orientation to where a pixel of the upright image
// comes from in the stored one: sx = a·x + b·y + c·(w-1), sy = d·x + e·y +
// f·(h-1), for the stored image's width w and height h. Orientations 5 to
// 8 swap the sides.
var turns = [9][6]int{
	1: {1, 0, 0, 0, 1, 0},   // as stored
	2: {-1, 0, 1, 0, 1, 0},  // mirrored left to right
	3: {-1, 0, 1, 0, -1, 1}, // upside down
	4: {1, 0, 0, 0, -1, 1},  // mirrored top to bottom
	5: {0, 1, 0, 1, 0, 0},   // mirrored along the main diagonal
	6: {0, 1, 0, -1, 0, 1},  // a quarter turn clockwise to stand
	7: {0, -1, 1, -1, 0, 1}, // mirrored along the other diagonal
	8: {0, -1, 1, 1, 0, 0},  // a quarter turn anticlockwise to stand
}

// orient returns m turned as EXIF orientation o asks, so that it stands
// the right way once the tag is gone.
func orient(m *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return m
	}
	t := turns[o]
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	if o >= 5 {
		w, h = h, w
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			sx := t[0]*x + t[1]*y + t[2]*(b.Dx()-1)
			sy := t[3]*x + t[4]*y + t[5]*(b.Dy()-1)
			from := m.PixOffset(b.Min.X+sx, b.Min.Y+sy)
			copy(out.Pix[out.PixOffset(x, y):][:4], m.Pix[from:from+4])
		}
	}
	return out
}
