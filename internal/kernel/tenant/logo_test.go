package tenant_test

import (
	"bytes"
	"context"
	"errors"
	"guichet/internal/kernel/files"
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
	ctx := context.Background()
	dir := t.TempDir()
	store, err := files.NewLocal(filepath.Join(dir, "logos"))
	if err != nil {
		t.Fatal(err)
	}
	l := tenant.NewLogos(store)
	const town, village = "7f9c2a44-0001", "7f9c2a44-0002"
	p, err := l.Save(ctx, town, pngBytes(t))
	if err != nil || !strings.HasPrefix(p, "/logo?v=") {
		t.Fatalf("save: %q, %v", p, err)
	}
	data, ct, err := l.Open(ctx, town)
	if err != nil || ct != "image/png" || !bytes.Equal(data, pngBytes(t)) {
		t.Fatalf("open: %s, %v", ct, err)
	}
	for name, bad := range map[string][]byte{
		"svg with a script": []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
		"html":              []byte("<html><body>hi</body></html>"),
		"empty":             nil,
		"too large":         append(pngBytes(t), make([]byte, tenant.MaxLogoBytes)...),
	} {
		if _, err := l.Save(ctx, village, bad); !errors.Is(err, tenant.ErrLogo) {
			t.Errorf("%s: got %v, want ErrLogo", name, err)
		}
	}
	if _, _, err := l.Open(ctx, village); !errors.Is(err, tenant.ErrNotFound) {
		t.Errorf("a refused logo was stored: %v", err)
	}
	if _, _, err := l.Open(ctx, "../../../../etc/passwd"); !errors.Is(err, tenant.ErrNotFound) {
		t.Errorf("a path outside the folder was read: %v", err)
	}
}

// A logo an earlier version wrote as a plain file is moved into the
// store, where every node reads it.
func TestLogosOfEarlierVersionsAreMovedIntoTheStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "logos")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	const id = "0b6e5c1e-legacy"
	if err := os.WriteFile(filepath.Join(dir, id), pngBytes(t), 0o600); err != nil {
		t.Fatal(err)
	}
	store, err := files.NewLocal(dir) // the store's folder is the earlier one
	if err != nil {
		t.Fatal(err)
	}
	l := tenant.NewLogos(store)
	if n, err := l.MoveLegacy(ctx, dir); err != nil || n != 1 {
		t.Fatalf("moved %d (%v), want 1", n, err)
	}
	data, ct, err := l.Open(ctx, id)
	if err != nil || ct != "image/png" || !bytes.Equal(data, pngBytes(t)) {
		t.Fatalf("moved logo: %s, %v", ct, err)
	}
	if _, err := os.Stat(filepath.Join(dir, id)); !os.IsNotExist(err) {
		t.Errorf("the plain file is still there: %v", err)
	}
	if n, err := l.MoveLegacy(ctx, dir); err != nil || n != 0 {
		t.Errorf("a second run moved %d (%v)", n, err)
	}
}
