package photo

import (
	"bytes"
	"math"

	"github.com/rwcarlsen/goexif/exif"
)

// metadata is what a photo's EXIF tells before it is dropped.
type metadata struct {
	position    Position
	orientation int // 1 to 8; 1 stands as stored
}

// readEXIF reads the position and the orientation from an APP1 Exif
// payload. What it cannot read it leaves out: a photo is never refused for
// its EXIF.
func readEXIF(payload []byte) (m metadata) {
	m.orientation = 1
	if len(payload) < 6 || !saneTIFF(payload[6:]) {
		return m
	}
	// Once saneTIFF has refused what kills the process, fuzzing found no
	// panic in the calls below; goexif, unchanged since 2019, still
	// documents panics on out-of-range indexes, so a hostile file costs at
	// most its metadata, never the request.
	defer func() {
		if recover() != nil {
			m = metadata{orientation: 1}
		}
	}()
	// Decode returns what it read with an error when only a sub-directory
	// failed, so x is used whenever there is one.
	x, _ := exif.Decode(bytes.NewReader(payload))
	if x == nil {
		return m
	}
	m.orientation = orientation(x)
	m.position = position(x)
	return m
}

// orientation returns x's orientation tag, 1 when absent or out of range.
func orientation(x *exif.Exif) int {
	tag, err := x.Get(exif.Orientation)
	if err != nil {
		return 1
	}
	o, err := tag.Int(0)
	if err != nil || o < 1 || o > 8 {
		return 1
	}
	return o
}

// position returns x's GPS position when it is plausible: finite, within
// the Earth's ranges, and not 0, 0, which some phones write without a fix.
func position(x *exif.Exif) Position {
	lat, lon, err := x.LatLong()
	switch {
	case err != nil,
		math.IsNaN(lat), math.IsNaN(lon),
		math.Abs(lat) > 90, math.Abs(lon) > 180,
		lat == 0 && lon == 0:
		return Position{}
	}
	return Position{Lat: lat, Lon: lon, OK: true}
}
