//go:build unix

package files

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Uploaded files are personal data: readable by the server's user only.
func TestStoredFilesArePrivate(t *testing.T) {
	t.Parallel()
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "fichiers")
	l, err := NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	const key = "abcdef0123456789"
	if _, err := l.Put(context.Background(), key, strings.NewReader("contenu")); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "ab"): 0o700,
		filepath.Join(dir, "ab", key): 0o600} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o, want %o", path, got, want)
		}
	}
}
