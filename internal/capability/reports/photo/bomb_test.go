package photo_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image/color"
	"runtime"
	"testing"

	"guichet"
	"guichet/internal/capability/reports/photo"
	"guichet/internal/capability/reports/photo/phototest"
)

const (
	tooLarge   = "La photo est trop grande\u00a0: choisissez-en une de 40 millions de pixels au plus."
	unreadable = "La photo est illisible\u00a0: choisissez un autre fichier."
)

// pngHeader returns a PNG's signature and header for w×h pixels of the
// depth and colour type given, and no pixel: only the header can pass.
func pngHeader(w, h uint32, depth, colourType byte) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, depth, colourType, 0, 0, 0)
	return withPNGChunk([]byte("\x89PNG\r\n\x1a\n"), "IHDR", string(ihdr))
}

// jpegFrame returns a real JPEG whose frame header says w×h, progressive
// or not, with 4:4:4 sampling: its scan no longer fits, so only the
// header can pass.
func jpegFrame(t *testing.T, w, h uint16, progressive bool) []byte {
	b := plainJPEG(t, phototest.Picture())
	i := bytes.Index(b, []byte{0xff, 0xc0})
	if i < 0 {
		t.Fatal("no SOF0")
	}
	b = bytes.Clone(b)
	if progressive {
		b[i+1] = 0xc2
	}
	binary.BigEndian.PutUint16(b[i+5:], h)
	binary.BigEndian.PutUint16(b[i+7:], w)
	for c := range int(b[i+9]) {
		b[i+11+3*c] = 0x11
	}
	return b
}

// Files whose header declares too much are refused by the header: a
// decoder would have failed on their missing pixels with another message.
func TestBombsRefusedByTheHeader(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		b    []byte
		msg  string
	}{
		{"PNG of 100 megapixels", pngHeader(10000, 10000, 8, 2), tooLarge},
		{"PNG of 36 megapixels, 8 bits", pngHeader(6000, 6000, 8, 6), unreadable},
		{"PNG of 36 megapixels, 16 bits", pngHeader(6000, 6000, 16, 6), tooLarge},
		{"JPEG of 4 gigapixels", jpegFrame(t, 65535, 65535, false), tooLarge},
		{"JPEG of 36 megapixels", jpegFrame(t, 6000, 6000, false), unreadable},
		{"progressive JPEG of 36 megapixels", jpegFrame(t, 6000, 6000, true), tooLarge},
		{"WebP of 268 megapixels in 40 bytes", phototest.WebP(16384, 16384, color.NRGBA{A: 255}), tooLarge},
	} {
		_, err := photo.Prepare(t.Context(), c.b)
		if got := guichet.FieldErrors(err)["photo"]; got != c.msg {
			t.Errorf("%s (%d bytes): %q, want %q", c.name, len(c.b), got, c.msg)
		}
	}
}

// Refusing a bomb costs next to nothing: this WebP would take 1 GB
// decoded. Not parallel: it measures the process's allocations.
func TestBombRefusedCheaply(t *testing.T) {
	bomb := phototest.WebP(16384, 16384, color.NRGBA{A: 255})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := photo.Prepare(t.Context(), bomb)
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("accepted")
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("refusing it allocated %d bytes", n)
	}
}

// withPNGChunk returns png with a chunk of the type and data given added
// after the header's chunk, or after the signature when there is none yet.
func withPNGChunk(png []byte, typ, data string) []byte {
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	chunk = append(chunk, typ...)
	chunk = append(chunk, data...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	at := 8
	if len(png) >= 16 && string(png[12:16]) == "IHDR" {
		at += 12 + int(binary.BigEndian.Uint32(png[8:]))
	}
	out := append(bytes.Clone(png[:at]), chunk...)
	return append(out, png[at:]...)
}
