// Package phototest builds photos for tests: JPEGs carrying a GPS position
// and an orientation in their EXIF, written byte by byte as a phone writes
// them, and a check that a JPEG no longer carries any.
package phototest

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
)

// The picture's size as stored, before its orientation is applied.
const (
	Width  = 64
	Height = 32
	// Corner is the side of the coloured squares in its top corners.
	Corner = 16
)

// The colours of Picture.
var (
	Grey = color.RGBA{128, 128, 128, 255}
	Red  = color.RGBA{220, 20, 20, 255}
	Blue = color.RGBA{20, 20, 220, 255}
)

// Picture returns a grey Width×Height picture with a Red square in its top
// left corner and a Blue one in its top right corner, so that where they
// land tells how a picture was turned.
func Picture() *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, Width, Height))
	draw.Draw(m, m.Bounds(), image.NewUniform(Grey), image.Point{}, draw.Src)
	draw.Draw(m, image.Rect(0, 0, Corner, Corner), image.NewUniform(Red), image.Point{}, draw.Src)
	draw.Draw(m, image.Rect(Width-Corner, 0, Width, Corner), image.NewUniform(Blue), image.Point{}, draw.Src)
	return m
}

// JPEGWithGPS returns Picture as a JPEG whose EXIF holds the position lat,
// lon (south and west negative) and orientation (1 to 8; 0 leaves the tag
// out).
func JPEGWithGPS(lat, lon float64, orientation int) []byte {
	return JPEG(Picture(), Tags{GPS: true, Lat: lat, Lon: lon, Orientation: orientation})
}

// JPEG returns m encoded as a JPEG carrying t in an EXIF segment.
func JPEG(m image.Image, t Tags) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 90}); err != nil {
		panic(err) // encoding into memory fails only on a programming error
	}
	return Insert(b.Bytes(), Segment(t))
}

// Insert returns jpg with segment placed right after its start of image,
// where phones put their EXIF.
func Insert(jpg, segment []byte) []byte {
	out := make([]byte, 0, len(jpg)+len(segment))
	out = append(out, jpg[:2]...)
	out = append(out, segment...)
	return append(out, jpg[2:]...)
}
