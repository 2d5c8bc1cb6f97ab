package phototest

import (
	"encoding/binary"
	"math"
)

// Tags are what an EXIF segment written by Segment holds.
type Tags struct {
	// Orientation is the orientation tag, 1 to 8; 0 leaves it out.
	Orientation int
	// GPS says whether Lat and Lon are written, in degrees, south and
	// west negative.
	GPS      bool
	Lat, Lon float64
}

// TIFF field types and tags written.
const (
	typeByte     = 1
	typeASCII    = 2
	typeShort    = 3
	typeLong     = 4
	typeRational = 5

	tagOrientation = 0x0112
	tagGPSIFD      = 0x8825
	tagGPSVersion  = 0x0000
	tagLatRef      = 0x0001
	tagLat         = 0x0002
	tagLonRef      = 0x0003
	tagLon         = 0x0004
)

// Segment returns a JPEG APP1 segment holding an EXIF with t: a
// little-endian TIFF structure whose IFD0 holds the orientation and points
// to a GPS directory holding each coordinate's hemisphere and its degrees,
// minutes and seconds as three rationals.
func Segment(t Tags) []byte {
	var ifd0 []field
	if t.Orientation != 0 {
		ifd0 = append(ifd0, field{tag: tagOrientation, typ: typeShort, count: 1, inline: le16(uint16(t.Orientation))})
	}
	// Offsets are from the TIFF header: the header (8 bytes), IFD0, then
	// the GPS directory, then the rationals it points to.
	gpsAt := 8 + dirSize(len(ifd0)+btoi(t.GPS))
	var data []byte
	if t.GPS {
		ifd0 = append(ifd0, field{tag: tagGPSIFD, typ: typeLong, count: 1, inline: le32(uint32(gpsAt))})
		dataAt := gpsAt + dirSize(5)
		latRef, lonRef := "N", "E"
		if t.Lat < 0 {
			latRef = "S"
		}
		if t.Lon < 0 {
			lonRef = "W"
		}
		gps := []field{
			{tag: tagGPSVersion, typ: typeByte, count: 4, inline: []byte{2, 2, 0, 0}},
			{tag: tagLatRef, typ: typeASCII, count: 2, inline: []byte(latRef + "\x00")},
			{tag: tagLat, typ: typeRational, count: 3, inline: le32(uint32(dataAt))},
			{tag: tagLonRef, typ: typeASCII, count: 2, inline: []byte(lonRef + "\x00")},
			{tag: tagLon, typ: typeRational, count: 3, inline: le32(uint32(dataAt + 24))},
		}
		data = append(directory(gps), rationals(t.Lat)...)
		data = append(data, rationals(t.Lon)...)
	}
	tiff := append([]byte("II*\x00\x08\x00\x00\x00"), directory(ifd0)...)
	tiff = append(tiff, data...)
	seg := []byte{0xff, 0xe1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(2+6+len(tiff)))
	seg = append(seg, "Exif\x00\x00"...)
	return append(seg, tiff...)
}

// field is one 12-byte directory entry; inline holds its value, or the
// offset of its value when that is longer than 4 bytes.
type field struct {
	tag, typ uint16
	count    uint32
	inline   []byte
}

// directory writes fields (in increasing tag order, as TIFF asks) and a
// zero offset: no next directory.
func directory(fields []field) []byte {
	b := le16(uint16(len(fields)))
	for _, f := range fields {
		b = append(b, le16(f.tag)...)
		b = append(b, le16(f.typ)...)
		b = append(b, le32(f.count)...)
		b = append(b, f.inline...)
		b = append(b, make([]byte, 4-len(f.inline))...)
	}
	return append(b, 0, 0, 0, 0)
}

func dirSize(n int) int { return 2 + 12*n + 4 }

// rationals writes |deg| as degrees, minutes and seconds, the seconds to
// the ten-thousandth as cameras write them.
func rationals(deg float64) []byte {
	const unit = 10000
	total := uint64(math.Round(math.Abs(deg) * 3600 * unit))
	d, m, s := total/(3600*unit), total/(60*unit)%60, total%(60*unit)
	var b []byte
	for _, r := range [3][2]uint64{{d, 1}, {m, 1}, {s, unit}} {
		b = append(b, le32(uint32(r[0]))...)
		b = append(b, le32(uint32(r[1]))...)
	}
	return b
}

func le16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
