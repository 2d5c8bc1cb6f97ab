package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/files"
)

// TestFilesMigrate copies the files of the default store to the other
// kind (the database on SQLite, a folder on PostgreSQL), then runs again
// and finds everything there.
func TestFilesMigrate(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, url string) {
		ctx := context.Background()
		dataDir := t.TempDir()
		env := map[string]string{"GUICHET_DATABASE_URL": url, "GUICHET_DATA_DIR": dataDir}
		if out, err := runCmd(t, env, "migrate"); err != nil {
			t.Fatalf("migrate: %q, %v", out, err)
		}
		d, err := db.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		from, err := files.OpenBackend("", d, dataDir)
		if err != nil {
			t.Fatal(err)
		}
		to := "database"
		if d.Dialect() == db.Postgres {
			to = "local"
		}
		src, _ := from.Bucket("fichiers")
		body := []byte("%PDF-1.7 justificatif de domicile")
		if _, err := src.Put(ctx, "justif-000001", bytes.NewReader(body)); err != nil {
			t.Fatal(err)
		}
		out, err := runCmd(t, env, "files", "migrate", "--to", to)
		if err != nil || !strings.Contains(out, "1 files copied (33 bytes), 0 already there") {
			t.Fatalf("files migrate: %q, %v", out, err)
		}
		dstBackend, _ := files.OpenBackend(to, d, dataDir)
		dst, _ := dstBackend.Bucket("fichiers")
		r, err := dst.Open(ctx, "justif-000001")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(r)
		r.Close()
		if !bytes.Equal(got, body) {
			t.Errorf("copied %q, want %q", got, body)
		}
		if out, err := runCmd(t, env, "files", "migrate", "--to", to); err != nil || !strings.Contains(out, "0 files copied (0 bytes), 1 already there") {
			t.Errorf("second run: %q, %v", out, err)
		}
		if _, err := runCmd(t, env, "files", "migrate"); err == nil {
			t.Error("files migrate without --to succeeded")
		}
	})
}
