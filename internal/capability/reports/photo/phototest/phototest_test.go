package phototest_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"testing"

	"github.com/rwcarlsen/goexif/exif"
	"golang.org/x/image/webp"

	"guichet/internal/capability/reports/photo/phototest"
)

// The EXIF written by hand reads back with an independent decoder.
func TestJPEGWithGPSReadsBack(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ lat, lon float64 }{
		{48.856613, 2.352222},   // Paris
		{-22.275833, 166.4580},  // Nouméa
		{16.241111, -61.533056}, // Pointe-à-Pitre
		{-33.4489, -70.6693},
	} {
		b := phototest.JPEGWithGPS(c.lat, c.lon, 6)
		if _, err := jpeg.Decode(bytes.NewReader(b)); err != nil {
			t.Fatalf("%v: not a JPEG: %v", c, err)
		}
		x, err := exif.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%v: %v", c, err)
		}
		lat, lon, err := x.LatLong()
		if err != nil || math.Abs(lat-c.lat) > 1e-7 || math.Abs(lon-c.lon) > 1e-7 {
			t.Errorf("%v read as %v, %v (%v)", c, lat, lon, err)
		}
		tag, err := x.Get(exif.Orientation)
		if err != nil {
			t.Fatalf("%v: orientation: %v", c, err)
		}
		if o, _ := tag.Int(0); o != 6 {
			t.Errorf("%v: orientation %d, want 6", c, o)
		}
	}
}

func TestSegmentWithoutGPSOrOrientation(t *testing.T) {
	t.Parallel()
	x, err := exif.Decode(bytes.NewReader(phototest.JPEG(phototest.Picture(), phototest.Tags{Orientation: 3})))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := x.LatLong(); err == nil {
		t.Error("a position without GPS tags")
	}
	x, err = exif.Decode(bytes.NewReader(phototest.JPEG(phototest.Picture(), phototest.Tags{GPS: true, Lat: 1, Lon: 2})))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.Get(exif.Orientation); err == nil {
		t.Error("an orientation tag when none was asked")
	}
}

func TestHasEXIF(t *testing.T) {
	t.Parallel()
	var plain bytes.Buffer
	if err := jpeg.Encode(&plain, phototest.Picture(), nil); err != nil {
		t.Fatal(err)
	}
	app1 := func(payload string) []byte {
		return append([]byte{0xff, 0xe1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}, payload...)
	}
	for _, c := range []struct {
		name string
		b    []byte
		want bool
	}{
		{"written by Go", plain.Bytes(), false},
		{"Exif", phototest.JPEGWithGPS(45, 5, 1), true},
		{"XMP", phototest.Insert(plain.Bytes(), app1("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>")), true},
		{"another APP1", phototest.Insert(plain.Bytes(), app1("Other\x00data")), false},
		{"after the end of image", append(bytes.Clone(plain.Bytes()), phototest.Segment(phototest.Tags{Orientation: 1})...), true},
		{"not a JPEG", []byte("Exif\x00\x00II*\x00"), false},
		{"truncated", phototest.JPEGWithGPS(45, 5, 1)[:6], false},
	} {
		if got := phototest.HasEXIF(c.b); got != c.want {
			t.Errorf("%s: HasEXIF = %v", c.name, got)
		}
	}
}

func TestWebP(t *testing.T) {
	t.Parallel()
	want := color.NRGBA{200, 40, 90, 255}
	m, err := webp.Decode(bytes.NewReader(phototest.WebP(300, 7, want)))
	if err != nil {
		t.Fatal(err)
	}
	if m.Bounds() != image.Rect(0, 0, 300, 7) {
		t.Fatalf("bounds %v", m.Bounds())
	}
	if got := color.NRGBAModel.Convert(m.At(299, 6)); got != want {
		t.Errorf("colour %v, want %v", got, want)
	}
}
