package photo

import "image"

// plane is a picture's bytes with ch channels interleaved: a YCbCr
// image's Y, Cb or Cr (one channel) or an RGBA image's four. Scaling and
// turning work on planes, so that a JPEG's YCbCr is never widened to RGBA.
type plane struct {
	pix      []byte
	stride   int
	w, h, ch int
}

// row returns the bytes of row y.
func (p plane) row(y int) []byte { return p.pix[y*p.stride:][:p.w*p.ch] }

// rgbaPlane is m's four channels.
func rgbaPlane(m *image.RGBA) plane {
	b := m.Bounds()
	return plane{m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], m.Stride, b.Dx(), b.Dy(), 4}
}

// ycbcrPlanes are m's luma and its two chroma planes.
func ycbcrPlanes(m *image.YCbCr) [3]plane {
	b := m.Rect
	sx, sy := subsampling(m.SubsampleRatio)
	// As image.NewYCbCr sizes them: the chroma samples that cover b.
	cw := (b.Max.X+sx-1)/sx - b.Min.X/sx
	ch := (b.Max.Y+sy-1)/sy - b.Min.Y/sy
	c := m.COffset(b.Min.X, b.Min.Y)
	return [3]plane{
		{m.Y[m.YOffset(b.Min.X, b.Min.Y):], m.YStride, b.Dx(), b.Dy(), 1},
		{m.Cb[c:], m.CStride, cw, ch, 1},
		{m.Cr[c:], m.CStride, cw, ch, 1},
	}
}

// subsampling returns how many pixels across and down share one chroma
// sample under ratio r.
func subsampling(r image.YCbCrSubsampleRatio) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return 2, 1
	case image.YCbCrSubsampleRatio420:
		return 2, 2
	case image.YCbCrSubsampleRatio440:
		return 1, 2
	case image.YCbCrSubsampleRatio411:
		return 4, 1
	case image.YCbCrSubsampleRatio410:
		return 4, 2
	}
	return 1, 1
}
