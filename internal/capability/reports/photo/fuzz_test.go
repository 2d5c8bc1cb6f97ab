package photo_test

import (
	"image/color"
	"math"
	"testing"

	"guichet"
	"guichet/internal/capability/reports/photo"
	"guichet/internal/capability/reports/photo/phototest"
)

// FuzzPrepare: whatever the bytes, Prepare refuses them with a message for
// the photo field, or returns a JPEG of the size it says, within the
// limits, without EXIF, and a plausible position.
func FuzzPrepare(f *testing.F) {
	withGPS := phototest.JPEGWithGPS(48.8566, 2.3522, 6)
	for _, b := range [][]byte{
		withGPS,
		withGPS[:len(withGPS)*2/3],
		phototest.JPEGWithGPS(-21.1151, 55.5364, 8),
		phototest.JPEG(phototest.Picture(), phototest.Tags{Orientation: 3}),
		phototest.Insert(plainJPEG(f, phototest.Picture()), withTIFF(loopingTIFF())),
		phototest.WebP(40, 30, color.NRGBA{200, 40, 90, 255}),
		pngHeader(20, 10, 8, 2),
		[]byte("Nid-de-poule devant la mairie"),
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := photo.Prepare(t.Context(), b)
		if err != nil {
			if guichet.ErrorCode(err) != guichet.EInvalid || guichet.FieldErrors(err)["photo"] == "" {
				t.Fatalf("refused without a message for the photo: %v", err)
			}
			return
		}
		decoded(t, p.JPEG, p.Width, p.Height)
		decoded(t, p.Thumb, p.ThumbWidth, p.ThumbHeight)
		if max(p.Width, p.Height) > photo.MaxSide || max(p.ThumbWidth, p.ThumbHeight) > photo.ThumbSide {
			t.Fatalf("%d×%d, thumbnail %d×%d", p.Width, p.Height, p.ThumbWidth, p.ThumbHeight)
		}
		if phototest.HasEXIF(p.JPEG) || phototest.HasEXIF(p.Thumb) {
			t.Fatal("EXIF left")
		}
		pos := p.Position
		if pos.OK && (math.IsNaN(pos.Lat) || math.IsNaN(pos.Lon) || math.Abs(pos.Lat) > 90 || math.Abs(pos.Lon) > 180) {
			t.Fatalf("position %+v", pos)
		}
	})
}
