package photo

import (
	"encoding/binary"
	"math"
)

// maxDirs bounds the directories a sane EXIF holds: a photo has IFD0, the
// thumbnail's IFD1, and the Exif, GPS and interoperability directories.
const maxDirs = 16

// tiffTypeSizes are the byte sizes of the TIFF field types goexif reads.
var tiffTypeSizes = [13]uint64{0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8}

// Tags whose value is the offset of another directory.
const (
	tagExifIFD    = 0x8769
	tagGPSIFD     = 0x8825
	tagInteropIFD = 0xa005
)

// saneTIFF reports whether goexif may be given the TIFF structure t (an
// EXIF payload after "Exif\0\0"). Two kinds of hostile bytes bring goexif
// down, and no recover helps, since the process dies out of memory (both
// tried): it follows the chain of directories noticing a loop only when a
// directory points to itself, so two pointing to each other make it
// append directories forever; and it sizes a field's values by their count
// before checking the bytes are there, the size computed in 32 bits, so
// that a count of 2^29+1 rationals wraps to 8 bytes and asks for 12 GB.
// saneTIFF walks every directory goexif would read (the chain and the
// directories tags point to) and refuses loops, more than maxDirs
// directories, truncated ones, and sizes that overflow.
func saneTIFF(t []byte) bool {
	if len(t) < 8 {
		return false
	}
	w := tiffWalk{t: t, seen: map[int64]bool{}}
	switch string(t[:4]) {
	case "II*\x00":
		w.order = binary.LittleEndian
	case "MM\x00*":
		w.order = binary.BigEndian
	default:
		return false
	}
	for off := int64(int32(w.order.Uint32(t[4:]))); off != 0; {
		next, ok := w.dir(off)
		if !ok {
			return false
		}
		off = next
	}
	return true
}

// tiffWalk is a walk through a TIFF structure's directories.
type tiffWalk struct {
	t     []byte
	order binary.ByteOrder
	seen  map[int64]bool
}

// dir checks the directory at offset off and those its tags point to, and
// returns the offset of the next one in its chain.
func (w *tiffWalk) dir(off int64) (int64, bool) {
	if off < 0 || off+2 > int64(len(w.t)) || w.seen[off] || len(w.seen) >= maxDirs {
		return 0, false
	}
	w.seen[off] = true
	n := max(0, int64(int16(w.order.Uint16(w.t[off:])))) // goexif reads a signed count
	end := off + 2 + 12*n
	if end+4 > int64(len(w.t)) {
		return 0, false
	}
	for e := off + 2; e < end; e += 12 {
		entry := w.t[e : e+12]
		typ := w.order.Uint16(entry[2:])
		count := uint64(w.order.Uint32(entry[4:]))
		if int(typ) >= len(tiffTypeSizes) {
			continue // goexif stops at such a field, harmlessly
		}
		size := tiffTypeSizes[typ] * count
		if size > math.MaxUint32 {
			return 0, false
		}
		switch w.order.Uint16(entry) {
		case tagExifIFD, tagGPSIFD, tagInteropIFD:
			if sub, ok := w.value(typ, size, entry); ok {
				if _, ok := w.dir(sub); !ok {
					return 0, false
				}
			}
		}
	}
	return int64(int32(w.order.Uint32(w.t[end:]))), true
}

// value reads the first value of an integer field, as goexif reads a
// directory's offset; false when goexif would find no offset there (not
// an integer, or its values past the end).
func (w *tiffWalk) value(typ uint16, size uint64, entry []byte) (int64, bool) {
	at := entry[8:12]
	if size > 4 {
		off := uint64(w.order.Uint32(at))
		if off+size > uint64(len(w.t)) {
			return 0, false
		}
		at = w.t[off : off+size]
	}
	switch typ {
	case 1: // BYTE
		return int64(at[0]), true
	case 3: // SHORT
		return int64(w.order.Uint16(at)), true
	case 4: // LONG
		return int64(w.order.Uint32(at)), true
	case 6: // SBYTE
		return int64(int8(at[0])), true
	case 8: // SSHORT
		return int64(int16(w.order.Uint16(at))), true
	case 9: // SLONG
		return int64(int32(w.order.Uint32(at))), true
	}
	return 0, false
}
