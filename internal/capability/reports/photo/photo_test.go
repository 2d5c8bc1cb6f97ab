package photo_test

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"testing"

	"github.com/rwcarlsen/goexif/exif"

	"guichet"
	"guichet/internal/capability/reports/photo"
	"guichet/internal/capability/reports/photo/phototest"
)

// prepare prepares b and fails the test on a refusal.
func prepare(t *testing.T, b []byte) *photo.Photo {
	t.Helper()
	p, err := photo.Prepare(t.Context(), b)
	if err != nil {
		t.Fatalf("refused: %v %v", err, guichet.FieldErrors(err))
	}
	return p
}

// decoded decodes a prepared JPEG and checks it has the dimensions given.
func decoded(t *testing.T, b []byte, w, h int) image.Image {
	t.Helper()
	m, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a JPEG: %v", err)
	}
	if m.Bounds().Dx() != w || m.Bounds().Dy() != h {
		t.Fatalf("JPEG is %v, the photo says %d×%d", m.Bounds(), w, h)
	}
	return m
}

// near reports whether the colour of m at x, y is within 40 of want on
// each channel: JPEG blurs colours, and the photo is encoded twice.
func near(m image.Image, x, y int, want color.RGBA) bool {
	r, g, b, _ := m.At(x, y).RGBA()
	d := func(a uint32, b uint8) bool { return math.Abs(float64(a>>8)-float64(b)) <= 40 }
	return d(r, want.R) && d(g, want.G) && d(b, want.B)
}

func TestPositionFromEXIF(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name     string
		lat, lon float64
	}{
		{"Paris, north and east", 48.856613, 2.352222},
		{"Nouméa, south and east", -22.275833, 166.458},
		{"Pointe-à-Pitre, north and west", 16.241111, -61.533056},
		{"Santiago, south and west", -33.4489, -70.6693},
	} {
		p := prepare(t, phototest.JPEGWithGPS(c.lat, c.lon, 1))
		if !p.Position.OK || math.Abs(p.Position.Lat-c.lat) > 1e-7 || math.Abs(p.Position.Lon-c.lon) > 1e-7 {
			t.Errorf("%s: position %+v", c.name, p.Position)
		}
	}
}

// 45° 30′ 36″ is 45.51°: degrees, minutes and seconds add up, each
// rational read as its quotient.
func TestPositionFromDegreesMinutesSeconds(t *testing.T) {
	t.Parallel()
	seg := phototest.Segment(phototest.Tags{GPS: true, Lat: 1, Lon: 1})
	// Overwrite the six rationals at the segment's end (latitude then
	// longitude): 45/1 30/1 360/10 S, 4/1 90/3 0/1 W.
	le := func(v uint32) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }
	var r []byte
	for _, v := range [][2]uint32{{45, 1}, {30, 1}, {360, 10}, {4, 1}, {90, 3}, {0, 1}} {
		r = append(append(r, le(v[0])...), le(v[1])...)
	}
	copy(seg[len(seg)-48:], r)
	seg = bytes.Replace(seg, []byte("N\x00"), []byte("S\x00"), 1)
	seg = bytes.Replace(seg, []byte("E\x00"), []byte("W\x00"), 1)
	p := prepare(t, phototest.Insert(plainJPEG(t, phototest.Picture()), seg))
	if !p.Position.OK || math.Abs(p.Position.Lat+45.51) > 1e-9 || math.Abs(p.Position.Lon+4.5) > 1e-9 {
		t.Errorf("position %+v, want -45.51, -4.5", p.Position)
	}
}

func TestNoPosition(t *testing.T) {
	t.Parallel()
	var png bytes.Buffer
	encodePNG(t, &png, phototest.Picture())
	for _, c := range []struct {
		name string
		b    []byte
	}{
		{"no EXIF", plainJPEG(t, phototest.Picture())},
		{"EXIF without GPS", phototest.JPEG(phototest.Picture(), phototest.Tags{Orientation: 1})},
		{"0, 0 written without a fix", phototest.JPEGWithGPS(0, 0, 1)},
		{"latitude past the pole", phototest.JPEGWithGPS(95, 2, 1)},
		{"a PNG", png.Bytes()},
	} {
		if p := prepare(t, c.b); p.Position != (photo.Position{}) {
			t.Errorf("%s: position %+v", c.name, p.Position)
		}
	}
}

// Each orientation gives the size and the corners the EXIF standard
// describes: stored, the picture has red top left and blue top right.
func TestOrientations(t *testing.T) {
	t.Parallel()
	const w, h = phototest.Width, phototest.Height
	type corner struct{ x, y int } // 0 or 1: left or right, top or bottom
	tl, tr, bl, br := corner{0, 0}, corner{1, 0}, corner{0, 1}, corner{1, 1}
	for _, c := range []struct {
		orientation   int
		width, height int
		red, blue     corner
	}{
		{0, w, h, tl, tr}, // no tag: as stored
		{1, w, h, tl, tr},
		{2, w, h, tr, tl}, // mirrored left to right
		{3, w, h, br, bl}, // upside down
		{4, w, h, bl, br}, // mirrored top to bottom
		{5, h, w, tl, bl}, // row 0 is the left side, column 0 the top
		{6, h, w, tr, br}, // row 0 is the right side, column 0 the top
		{7, h, w, br, tr}, // row 0 is the right side, column 0 the bottom
		{8, h, w, bl, tl}, // row 0 is the left side, column 0 the bottom
	} {
		p := prepare(t, phototest.JPEG(phototest.Picture(), phototest.Tags{Orientation: c.orientation}))
		if p.Width != c.width || p.Height != c.height {
			t.Errorf("orientation %d: %d×%d, want %d×%d", c.orientation, p.Width, p.Height, c.width, c.height)
			continue
		}
		m := decoded(t, p.JPEG, p.Width, p.Height)
		at := func(k corner) (int, int) { // the centre of a corner's square
			const in = phototest.Corner / 2
			return in + k.x*(p.Width-2*in-1), in + k.y*(p.Height-2*in-1)
		}
		for _, k := range []corner{tl, tr, bl, br} {
			want := phototest.Grey
			switch k {
			case c.red:
				want = phototest.Red
			case c.blue:
				want = phototest.Blue
			}
			if x, y := at(k); !near(m, x, y, want) {
				t.Errorf("orientation %d: corner %v is %v, want %v", c.orientation, k, m.At(x, y), want)
			}
		}
	}
}

func TestScalesDown(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name                 string
		w, h, orientation    int
		width, height        int
		thumbWidth, thumbHgt int
	}{
		{"landscape", 3000, 1500, 1, 2048, 1024, 480, 240},
		{"portrait", 1200, 3000, 1, 819, 2048, 192, 480},
		{"turned a quarter", 3000, 1500, 6, 1024, 2048, 240, 480},
		{"small enough", 800, 600, 1, 800, 600, 480, 360},
		{"smaller than a thumbnail", 300, 200, 1, 300, 200, 300, 200},
	} {
		p := prepare(t, phototest.JPEG(scene(c.w, c.h), phototest.Tags{Orientation: c.orientation}))
		if p.Width != c.width || p.Height != c.height || p.ThumbWidth != c.thumbWidth || p.ThumbHeight != c.thumbHgt {
			t.Errorf("%s: %d×%d, thumbnail %d×%d", c.name, p.Width, p.Height, p.ThumbWidth, p.ThumbHeight)
			continue
		}
		decoded(t, p.JPEG, p.Width, p.Height)
		decoded(t, p.Thumb, p.ThumbWidth, p.ThumbHeight)
	}
}

// Every metadata segment of a phone's JPEG is gone, and nothing but what
// an image needs is left: start, tables, frame, scan, end.
func TestNoMetadataLeft(t *testing.T) {
	t.Parallel()
	in := phototest.JPEGWithGPS(48.8566, 2.3522, 6)
	for _, s := range []struct {
		marker  byte
		payload string
	}{
		{0xe1, "http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>12 rue des Lilas</x:xmpmeta>"},
		{0xed, "Photoshop 3.0\x008BIM\x04\x04 IPTC 12 rue des Lilas"},
		{0xe2, "ICC_PROFILE\x00\x01\x01 profile 12 rue des Lilas"},
		{0xfe, "Prise au 12 rue des Lilas"},
	} {
		n := len(s.payload) + 2
		in = phototest.Insert(in, append([]byte{0xff, s.marker, byte(n >> 8), byte(n)}, s.payload...))
	}
	var png bytes.Buffer
	encodePNG(t, &png, phototest.Picture())
	withText := withPNGChunk(png.Bytes(), "tEXt", "Comment\x0012 rue des Lilas")
	for name, b := range map[string][]byte{"JPEG": in, "PNG": withText} {
		if !bytes.Contains(b, []byte("rue des Lilas")) {
			t.Fatalf("%s: the input has no metadata to drop", name)
		}
		p := prepare(t, b)
		for which, out := range map[string][]byte{"photo": p.JPEG, "thumbnail": p.Thumb} {
			if phototest.HasEXIF(out) {
				t.Errorf("%s %s: EXIF or XMP left", name, which)
			}
			if x, err := exif.Decode(bytes.NewReader(out)); err == nil {
				t.Errorf("%s %s: goexif still finds %v", name, which, x)
			}
			if bytes.Contains(out, []byte("rue des Lilas")) {
				t.Errorf("%s %s: the address is left", name, which)
			}
			if got := markers(t, out); got != "D8 DB C0 C4 DA D9" {
				t.Errorf("%s %s: markers %s", name, which, got)
			}
		}
	}
}

func TestPNGAndWebPAccepted(t *testing.T) {
	t.Parallel()
	// A PNG half transparent: JPEG has no transparency, white shows.
	m := image.NewNRGBA(image.Rect(0, 0, 40, 20))
	draw.Draw(m, image.Rect(0, 0, 20, 20), image.NewUniform(color.NRGBA{20, 120, 40, 255}), image.Point{}, draw.Src)
	var png bytes.Buffer
	encodePNG(t, &png, m)
	p := prepare(t, png.Bytes())
	out := decoded(t, p.JPEG, 40, 20)
	if !near(out, 5, 10, color.RGBA{20, 120, 40, 255}) || !near(out, 35, 10, color.RGBA{255, 255, 255, 255}) {
		t.Errorf("PNG: %v and %v, want green and white", out.At(5, 10), out.At(35, 10))
	}

	p = prepare(t, phototest.WebP(3000, 1000, color.NRGBA{200, 40, 90, 255}))
	out = decoded(t, p.JPEG, 2048, 683)
	if !near(out, 1000, 300, color.RGBA{200, 40, 90, 255}) {
		t.Errorf("WebP: %v", out.At(1000, 300))
	}
}

func TestRefused(t *testing.T) {
	t.Parallel()
	var gif bytes.Buffer
	encodeGIF(t, &gif, phototest.Picture())
	jpg := plainJPEG(t, phototest.Picture())
	const (
		kind       = "Choisissez une photo au format JPEG, PNG ou WebP."
		unreadable = "La photo est illisible\u00a0: choisissez un autre fichier."
	)
	for _, c := range []struct {
		name string
		b    []byte
		msg  string
	}{
		{"empty", nil, "Le fichier est vide."},
		{"over 10 MB", append(bytes.Clone(jpg), make([]byte, photo.MaxBytes)...), "La photo dépasse 10\u00a0Mo."},
		{"GIF", gif.Bytes(), kind},
		{"PDF", []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"), kind},
		{"text", []byte("Nid-de-poule devant le 12 rue des Lilas"), kind},
		{"SVG", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), kind},
		{"HEIC", append([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), make([]byte, 64)...), kind},
		{"JPEG cut before its frame", jpg[:20], unreadable},
		{"JPEG cut in its scan", jpg[:len(jpg)/2], unreadable},
	} {
		_, err := photo.Prepare(t.Context(), c.b)
		if guichet.ErrorCode(err) != guichet.EInvalid || guichet.FieldErrors(err)["photo"] != c.msg {
			t.Errorf("%s: %v %q, want %q", c.name, err, guichet.FieldErrors(err)["photo"], c.msg)
		}
	}
}

// A malformed EXIF costs the photo its position, never the photo.
func TestMalformedEXIFKeepsThePhoto(t *testing.T) {
	t.Parallel()
	good := phototest.Segment(phototest.Tags{GPS: true, Lat: 48.85, Lon: 2.35, Orientation: 6})
	for name, seg := range map[string][]byte{
		"TIFF header garbled": append(bytes.Clone(good[:10]), bytes.Repeat([]byte{0xee}, len(good)-10)...),
		"cut in the GPS directory": func() []byte {
			s := bytes.Clone(good[:len(good)-60])
			s[2], s[3] = byte((len(s)-2)>>8), byte(len(s)-2)
			return s
		}(),
		"directories in a loop":  withTIFF(loopingTIFF()),
		"a count that overflows": withTIFF(overflowingTIFF()),
	} {
		p := prepare(t, phototest.Insert(plainJPEG(t, phototest.Picture()), seg))
		if p.Position.OK || p.Width != phototest.Width {
			t.Errorf("%s: %d×%d, position %+v", name, p.Width, p.Height, p.Position)
		}
	}
}
