package phototest

import (
	"encoding/binary"
	"image/color"
)

// WebP returns a lossless WebP of w by h pixels (1 to 16384) of colour c.
// Its bitstream (RFC 9649, VP8L) gives each of the five prefix codes a
// single symbol, which takes no bit to write: every pixel is c, and the
// file stays a few dozen bytes whatever its size.
func WebP(w, h int, c color.NRGBA) []byte {
	var bw bitWriter
	bw.write(0x2f, 8) // VP8L signature
	bw.write(uint32(w-1), 14)
	bw.write(uint32(h-1), 14)
	bw.write(btou(c.A != 0xff), 1) // alpha is used
	bw.write(0, 3)                 // version
	bw.write(0, 1)                 // no transform
	bw.write(0, 1)                 // no colour cache
	bw.write(0, 1)                 // no meta prefix codes
	// Green, red, blue, alpha, distance: a simple code of one 8-bit symbol.
	for _, v := range []uint8{c.G, c.R, c.B, c.A, 0} {
		bw.write(1, 1) // simple code
		bw.write(0, 1) // one symbol
		bw.write(1, 1) // of 8 bits
		bw.write(uint32(v), 8)
	}
	data := bw.bytes()
	if len(data)%2 == 1 {
		data = append(data, 0) // chunks are padded to even sizes
	}
	out := []byte("RIFF\x00\x00\x00\x00WEBPVP8L\x00\x00\x00\x00")
	binary.LittleEndian.PutUint32(out[4:], uint32(4+8+len(data)))
	binary.LittleEndian.PutUint32(out[16:], uint32(len(bw.bytes())))
	return append(out, data...)
}

// bitWriter writes values least significant bit first, as VP8L reads them.
type bitWriter struct {
	buf   []byte
	acc   uint64
	nbits uint
}

func (b *bitWriter) write(v uint32, n uint) {
	b.acc |= uint64(v) << b.nbits
	b.nbits += n
	for b.nbits >= 8 {
		b.buf = append(b.buf, byte(b.acc))
		b.acc >>= 8
		b.nbits -= 8
	}
}

func (b *bitWriter) bytes() []byte {
	if b.nbits > 0 {
		return append(b.buf[:len(b.buf):len(b.buf)], byte(b.acc))
	}
	return b.buf
}

func btou(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}
