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

// orient returns m, as shrink made it (YCbCr or RGBA), turned as EXIF
// orientation o asks, so that it stands the right way once the tag is
// gone. A YCbCr image is turned plane by plane, unless a quarter turn
// would swap its chroma's subsampling into one Go has no name for.
func orient(m image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return m
	}
	b := m.Bounds()
	r := image.Rect(0, 0, b.Dx(), b.Dy())
	if o >= 5 {
		r = image.Rect(0, 0, b.Dy(), b.Dx())
	}
	if y, ok := m.(*image.YCbCr); ok {
		if sx, sy := subsampling(y.SubsampleRatio); o < 5 || sx == sy {
			out := image.NewYCbCr(r, y.SubsampleRatio)
			to, from := ycbcrPlanes(out), ycbcrPlanes(y)
			for i := range to {
				turn(to[i], from[i], o)
			}
			return out
		}
	}
	out := image.NewRGBA(r)
	turn(rgbaPlane(out), rgbaPlane(opaque(m)), o)
	return out
}

// turn fills dst with src turned as orientation o asks. On the chroma
// plane of a photo of odd width or height, a mirror shifts the colours by
// one pixel of the photo: nothing a JPEG would show.
func turn(dst, src plane, o int) {
	t := turns[o]
	for y := range dst.h {
		d := dst.row(y)
		for x := range dst.w {
			sx := t[0]*x + t[1]*y + t[2]*(src.w-1)
			sy := t[3]*x + t[4]*y + t[5]*(src.h-1)
			if src.ch == 1 {
				d[x] = src.pix[sy*src.stride+sx]
				continue
			}
			copy(d[x*dst.ch:][:dst.ch], src.pix[sy*src.stride+sx*src.ch:])
		}
	}
}
