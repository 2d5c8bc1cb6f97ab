package photo

import (
	"math"
	"testing"

	"guichet/internal/capability/reports/photo/phototest"
)

// FuzzReadEXIF: an EXIF payload, however hostile, gives an orientation
// from 1 to 8 and a plausible position or none, and neither kills nor
// hangs the process (see saneTIFF). Faster than FuzzPrepare, which
// decodes an image each time, it spends its inputs on goexif.
func FuzzReadEXIF(f *testing.F) {
	for _, tags := range []phototest.Tags{
		{GPS: true, Lat: 48.8566, Lon: 2.3522, Orientation: 6},
		{GPS: true, Lat: -21.1151, Lon: -55.5364},
		{Orientation: 8},
	} {
		f.Add(phototest.Segment(tags)[4:]) // the payload after the marker and length
	}
	f.Add([]byte("Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, payload []byte) {
		m := readEXIF(payload)
		if m.orientation < 1 || m.orientation > 8 {
			t.Fatalf("orientation %d", m.orientation)
		}
		p := m.position
		if p.OK && (math.IsNaN(p.Lat) || math.IsNaN(p.Lon) || math.Abs(p.Lat) > 90 || math.Abs(p.Lon) > 180) {
			t.Fatalf("position %+v", p)
		}
		if !p.OK && (p.Lat != 0 || p.Lon != 0) {
			t.Fatalf("position %+v", p)
		}
	})
}
