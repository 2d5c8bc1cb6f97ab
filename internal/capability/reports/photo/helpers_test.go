package photo_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

func plainJPEG(t testing.TB, m image.Image) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t *testing.T, w io.Writer, m image.Image) {
	if err := png.Encode(w, m); err != nil {
		t.Fatal(err)
	}
}

func encodeGIF(t *testing.T, w io.Writer, m image.Image) {
	if err := gif.Encode(w, m, nil); err != nil {
		t.Fatal(err)
	}
}

// scene returns a w×h picture that compresses like a photo: smooth
// gradients under fine noise.
func scene(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			n := uint8(r.IntN(24))
			m.SetRGBA(x, y, color.RGBA{uint8(x*200/w) + n, uint8(y*200/h) + n, uint8((x+y)*100/(w+h)) + n, 255})
		}
	}
	return m
}

// markers lists a JPEG's markers up to its end, in hexadecimal.
func markers(t *testing.T, b []byte) string {
	var out []string
	for i := 0; i+1 < len(b); {
		if b[i] != 0xff || b[i+1] == 0 || (b[i+1] >= 0xd0 && b[i+1] <= 0xd7) {
			i++
			continue
		}
		m := b[i+1]
		out = append(out, fmt.Sprintf("%02X", m))
		if m == 0xd8 || m == 0xd9 {
			i += 2
			continue
		}
		if i+4 > len(b) {
			t.Fatalf("marker %02X cut", m)
		}
		i += 2 + int(binary.BigEndian.Uint16(b[i+2:]))
	}
	// Tables repeat (one DQT or DHT per table or group): list each once in
	// order of first appearance.
	seen := map[string]bool{}
	var once []string
	for _, m := range out {
		if !seen[m] {
			seen[m] = true
			once = append(once, m)
		}
	}
	return strings.Join(once, " ")
}

// withTIFF returns an APP1 Exif segment holding tiff.
func withTIFF(tiff []byte) []byte {
	n := 2 + 6 + len(tiff)
	seg := append([]byte{0xff, 0xe1, byte(n >> 8), byte(n)}, "Exif\x00\x00"...)
	return append(seg, tiff...)
}

// loopingTIFF has two directories that point to each other.
func loopingTIFF() []byte {
	le := binary.LittleEndian
	t := []byte("II*\x00\x08\x00\x00\x00")
	t = le.AppendUint32(append(t, 0, 0), 14) // at 8: no field, next at 14
	t = le.AppendUint32(append(t, 0, 0), 8)  // at 14: no field, next at 8
	return t
}

// overflowingTIFF has a field of 2^29+1 rationals, whose size in 32 bits
// wraps to 8 bytes.
func overflowingTIFF() []byte {
	le := binary.LittleEndian
	t := []byte("II*\x00\x08\x00\x00\x00")
	t = le.AppendUint16(t, 1)
	t = le.AppendUint16(t, 0x010f) // Make
	t = le.AppendUint16(t, 5)      // RATIONAL
	t = le.AppendUint32(t, 1<<29+1)
	t = le.AppendUint32(t, 26) // its values, right after the directory
	t = le.AppendUint32(t, 0)  // no next directory
	return append(t, make([]byte, 8)...)
}
