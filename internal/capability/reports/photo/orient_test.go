package photo

import (
	"image"
	"image/color"
	stddraw "image/draw"
	"testing"

	"guichet/internal/capability/reports/photo/phototest"
)

// A YCbCr photo, whatever its chroma's subsampling, is turned as its RGBA
// would be: plane by plane when the subsampling is the same both ways, by
// way of RGBA when a quarter turn would swap it (4:2:2 would become 4:4:0
// sideways, 4:1:1 a ratio Go has no name for).
func TestOrientYCbCrAsRGBA(t *testing.T) {
	t.Parallel()
	pic := phototest.Picture() // its squares are aligned on every chroma block
	for _, r := range []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio422,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	} {
		m := asYCbCr(pic, r)
		for o := 1; o <= 8; o++ {
			want := orient(pic, o).(*image.RGBA)
			got := asRGBA(orient(m, o))
			if got.Rect != want.Rect {
				t.Errorf("%v, orientation %d: %v, want %v", r, o, got.Rect, want.Rect)
				continue
			}
			for i := range got.Pix {
				if d := int(got.Pix[i]) - int(want.Pix[i]); d > 3 || d < -3 { // YCbCr's rounding
					t.Errorf("%v, orientation %d: pixel %d is %v, want %v", r, o, i/4, got.Pix[i&^3:i&^3+4], want.Pix[i&^3:i&^3+4])
					break
				}
			}
		}
	}
}

// asYCbCr returns m in YCbCr of ratio r, each chroma sample taken from one
// of the pixels it covers.
func asYCbCr(m *image.RGBA, r image.YCbCrSubsampleRatio) *image.YCbCr {
	out := image.NewYCbCr(m.Rect, r)
	for y := range m.Rect.Dy() {
		for x := range m.Rect.Dx() {
			c := m.RGBAAt(x, y)
			out.Y[out.YOffset(x, y)], out.Cb[out.COffset(x, y)], out.Cr[out.COffset(x, y)] = color.RGBToYCbCr(c.R, c.G, c.B)
		}
	}
	return out
}

func asRGBA(m image.Image) *image.RGBA {
	out := image.NewRGBA(m.Bounds())
	stddraw.Draw(out, out.Bounds(), m, m.Bounds().Min, stddraw.Src)
	return out
}
