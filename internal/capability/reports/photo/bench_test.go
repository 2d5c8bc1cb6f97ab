package photo_test

import (
	"testing"

	"guichet/internal/capability/reports/photo"
	"guichet/internal/capability/reports/photo/phototest"
)

// BenchmarkPrepare prepares a phone's photo: 12 megapixels (4032×3024),
// with a position, turned a quarter.
func BenchmarkPrepare(b *testing.B) {
	in := phototest.JPEG(scene(4032, 3024), phototest.Tags{GPS: true, Lat: 45.764, Lon: 4.8357, Orientation: 6})
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := photo.Prepare(b.Context(), in); err != nil {
			b.Fatal(err)
		}
	}
}
