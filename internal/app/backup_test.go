package app_test

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"guichet"
	"guichet/internal/apptest"
	"guichet/internal/capability/procedure"
	"guichet/internal/capability/procedure/procedureweb"
	"guichet/internal/kernel/backup"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// townWithFiles gives the demo town a logo and a case file, so that its
// backup carries files of two buckets.
func townWithFiles(t *testing.T, e *apptest.Env) (logo, proof []byte) {
	t.Helper()
	ctx := context.Background()
	logo = pngPixel
	path, err := e.App.Logos().Save(ctx, e.Town.ID, logo)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.App.Tenants.SetLogo(ctx, e.Town.ID, path); err != nil {
		t.Fatal(err)
	}
	store, c := filedTownCase(t, e)
	proof = append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0, 1, 2, 250}, 10_000)...)
	if _, err := store.AddMessage(ctx, c, procedure.Actor{ID: "agent", Name: "Service état civil", Staff: true}, "Pièce jointe.",
		[]procedure.Upload{{Name: "preuve.pdf", ContentType: "application/pdf", Body: bytes.NewReader(proof)}}); err != nil {
		t.Fatal(err)
	}
	return logo, proof
}

// filedTownCase returns the procedures' store and a case the demo town's
// residents have filed.
func filedTownCase(t *testing.T, e *apptest.Env) (*procedure.Store, *procedure.Case) {
	t.Helper()
	ctx := context.Background()
	store := procedureweb.Of(e.App.Kernel).Store
	var caseID string
	if err := e.App.DB.QueryRow(ctx, `SELECT id FROM cases WHERE tenant_id = ? AND state <> 'brouillon' ORDER BY id LIMIT 1`, e.Town.ID).Scan(&caseID); err != nil {
		t.Fatal(err)
	}
	c, err := store.Case(ctx, e.Town.ID, caseID)
	if err != nil {
		t.Fatal(err)
	}
	return store, c
}

// A collectivité backed up, then changed, then restored reads back the
// same rows and files as the archive's checksums say; the other
// collectivité is untouched. On both databases.
func TestBackupAndRestoreOfOneCollectivité(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		townWithFiles(t, e)
		dir := t.TempDir()
		town, village := filepath.Join(dir, "montclair.tar.gz"), filepath.Join(dir, "sauvigny.tar.gz")
		m, err := backup.Write(ctx, e.App.Backups(), town, []string{"montclair"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Tenants) != 1 || m.Tables["cases"].Count == 0 || m.Tables["content_news"].Count == 0 || m.Files.Count < 2 {
			t.Fatalf("manifest: %d collectivités, %d cases, %d news, %d files", len(m.Tenants), m.Tables["cases"].Count,
				m.Tables["news"].Count, m.Files.Count)
		}
		vm, err := backup.Write(ctx, e.App.Backups(), village, []string{"sauvigny"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		// The town changes after its backup: a name, a news item gone, a
		// case file's body lost.
		for _, q := range []string{`UPDATE tenants SET name = 'Nom changé' WHERE id = ?`,
			`DELETE FROM content_news WHERE tenant_id = ? AND id IN (SELECT id FROM content_news WHERE tenant_id = ? ORDER BY id LIMIT 1)`} {
			args := []any{e.Town.ID}
			if strings.Count(q, "?") == 2 {
				args = append(args, e.Town.ID)
			}
			if _, err := e.App.DB.Exec(ctx, q, args...); err != nil {
				t.Fatal(err)
			}
		}
		keys, _ := procedureweb.Of(e.App.Kernel).Store.FileKeys(ctx, e.App.DB, e.Town.ID)
		bucket, _ := e.App.FileStore.Bucket("fichiers")
		if err := bucket.Delete(ctx, keys[0]); err != nil {
			t.Fatal(err)
		}
		if err := backup.Verify(ctx, e.App.Backups(), m); err == nil {
			t.Fatal("Verify found a changed collectivité identical to its archive")
		}
		if _, err := e.App.Restore(ctx, town, false, nil); guichet.ErrorCode(err) != guichet.EConflict {
			t.Fatalf("an import over the collectivité itself: %v, want a conflict", err)
		}
		var steps []int
		if _, err := e.App.Restore(ctx, town, true, func(done, total int) { steps = append(steps, done) }); err != nil {
			t.Fatal(err) // Restore verifies every checksum
		}
		if len(steps) < 2 {
			t.Errorf("progress %v", steps)
		}
		if err := backup.Verify(ctx, e.App.Backups(), vm); err != nil {
			t.Errorf("the village changed: %v", err)
		}
		r, err := bucket.Open(ctx, keys[0])
		if err != nil {
			t.Fatalf("the lost body was not restored: %v", err)
		}
		r.Close()
		got, err := e.App.Tenants.Get(ctx, e.Town.ID)
		if err != nil || got.Name == "Nom changé" {
			t.Errorf("the town's name after the restore: %v %v", got, err)
		}
		e.Browser(e.Town).Get("/").Want(t, 200).WantBody(t, got.Name)
	}, apptest.WithDemoData())
}

// A collectivité moves from one deployment to another, from SQLite to
// PostgreSQL: the same rows and files arrive; importing it again is
// refused.
func TestTenantMovesToAnotherDeployment(t *testing.T) {
	t.Parallel()
	if dbtest.PostgresURL(t) == "" {
		t.Skip("PostgreSQL not configured: set GUICHET_TEST_POSTGRES=postgres://…")
	}
	urls := dbtest.URLs(t)
	from := apptest.New(t, urls[db.SQLite], apptest.WithDemoData())
	_, proof := townWithFiles(t, from)
	to := apptest.New(t, urls[db.Postgres], apptest.WithoutTenants())
	ctx := context.Background()
	archive := filepath.Join(t.TempDir(), "montclair.tar.gz")
	if _, err := backup.Write(ctx, from.App.Backups(), archive, []string{"montclair"}, nil); err != nil {
		t.Fatal(err)
	}
	m, err := to.App.Restore(ctx, archive, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := to.App.Restore(ctx, archive, false, nil); guichet.ErrorCode(err) != guichet.EConflict {
		t.Errorf("a second import: %v, want a conflict", err)
	}
	moved, err := to.App.Tenants.BySlug(ctx, "montclair")
	if err != nil {
		t.Fatal(err)
	}
	to.Town = moved
	keys, _ := procedureweb.Of(to.App.Kernel).Store.FileKeys(ctx, to.App.DB, moved.ID)
	bucket, _ := to.App.FileStore.Bucket("fichiers")
	found := false
	for _, k := range keys {
		r, err := bucket.Open(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r)
		r.Close()
		found = found || bytes.Equal(body, proof)
	}
	if !found || m.Files.Count < 2 {
		t.Errorf("the case file did not arrive (%d keys, %d files)", len(keys), m.Files.Count)
	}
	b := to.Browser(moved)
	b.Get("/").Want(t, 200).WantBody(t, moved.Name)
	b.SignInDemo(t, "habitant@courriel.localhost") // accounts and passwords moved too
	b.Get("/mes-demarches").Want(t, 200)
}
