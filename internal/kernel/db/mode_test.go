//go:build unix

package db_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"guichet/internal/kernel/db"
)

// withUmask runs the test under the usual umask 022, which would leave
// new files readable by everyone unless created private.
func withUmask(t *testing.T) {
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
}

func wantMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s: mode %o, want %o", filepath.Base(path), got, want)
	}
}

// The database holds personal data: its files and a folder created for it
// are for the server's user only, and a file left wider is narrowed.
func TestSQLiteFilesArePrivate(t *testing.T) {
	t.Parallel()
	withUmask(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "donnees")
	path := filepath.Join(dir, "guichet.db")
	d, err := db.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Exec(ctx, `CREATE TABLE t (x TEXT)`); err != nil {
		t.Fatal(err)
	}
	wantMode(t, dir, 0o700)
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		wantMode(t, p, 0o600)
	}

	wide := filepath.Join(t.TempDir(), "ancienne.db")
	if err := os.WriteFile(wide, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	old, err := db.Open(ctx, "sqlite:"+wide)
	if err != nil {
		t.Fatal(err)
	}
	old.Close()
	wantMode(t, wide, 0o600)
}
