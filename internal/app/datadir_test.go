//go:build unix

package app_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"guichet/internal/app"
	"guichet/internal/apptest"
)

// The data folder holds the SQLite file, uploads and logos: the server
// makes it its own user's only, even when it already existed wider.
func TestDataFolderIsPrivate(t *testing.T) {
	t.Parallel()
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "guichet-data")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := &app.Config{BaseDomain: "localhost", SecretKey: apptest.SecretKey, DataDir: dir, LogLevel: "error"}
	if err := cfg.Finish(); err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	for path, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "guichet.db"): 0o600,
		filepath.Join(dir, "guichet.db-wal"): 0o600, filepath.Join(dir, "fichiers"): 0o700} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o, want %o", filepath.Base(path), got, want)
		}
	}
}
