package reportsweb

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
)

// fixtureJPEG is a small photo without metadata, which the access and
// isolation rows stage.
func fixtureJPEG() []byte {
	m := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			m.Set(x, y, color.RGBA{R: uint8(x * 4), G: uint8(y * 5), B: 120, A: 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 80}); err != nil {
		panic(err) // an in-memory encoding of a fixed picture does not fail
	}
	return b.Bytes()
}
