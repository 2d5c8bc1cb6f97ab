package tenant_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"guichet/internal/kernel/tenant"
)

func pngBytes(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{29, 79, 145, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestLogos(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	l := tenant.NewLogos(dir)
	p, err := l.Save("t1", pngBytes(t))
	if err != nil || !strings.HasPrefix(p, "/logo?v=") {
		t.Fatalf("save: %q, %v", p, err)
	}
	info, err := os.Stat(filepath.Join(dir, "logos", "t1"))
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Fatalf("the logo file has mode %o, want 600", mode)
	}
	data, ct, err := l.Open("t1")
	if err != nil || ct != "image/png" || !bytes.Equal(data, pngBytes(t)) {
		t.Fatalf("open: %s, %v", ct, err)
	}
	for name, bad := range map[string][]byte{
		"svg with a script": []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
		"html":              []byte("<html><body>hi</body></html>"),
		"empty":             nil,
		"too large":         append(pngBytes(t), make([]byte, tenant.MaxLogoBytes)...),
	} {
		if _, err := l.Save("t2", bad); !errors.Is(err, tenant.ErrLogo) {
			t.Errorf("%s: got %v, want ErrLogo", name, err)
		}
	}
	if _, _, err := l.Open("t2"); !errors.Is(err, tenant.ErrNotFound) {
		t.Errorf("a refused logo was stored: %v", err)
	}
	if _, _, err := l.Open("../../../../etc/passwd"); !errors.Is(err, tenant.ErrNotFound) {
		t.Errorf("a path outside the folder was read: %v", err)
	}
}
