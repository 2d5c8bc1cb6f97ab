package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// TestBackupRestoreAndMoveFromTheCommandLine: a deployment is backed up
// and restored whole; one collectivité is exported and imported into a
// second deployment, once only.
func TestBackupRestoreAndMoveFromTheCommandLine(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, url string) {
		env := map[string]string{"GUICHET_DATABASE_URL": url, "GUICHET_DATA_DIR": t.TempDir()}
		for _, slug := range []string{"lerouet", "valbonne"} {
			if out, err := runCmd(t, env, "tenant", "create", "--slug", slug, "--name", "Commune "+slug); err != nil {
				t.Fatalf("create: %q, %v", out, err)
			}
		}
		dir := t.TempDir()
		all := filepath.Join(dir, "tout.tar.gz")
		out, err := runCmd(t, env, "backup", "--out", all)
		if err != nil || !regexp.MustCompile(`3 collectivités, \d+ rows in \d+ tables, 0 files, 0 pending jobs`).MatchString(out) {
			t.Fatalf("backup: %q, %v", out, err)
		}
		if out, err := runCmd(t, env, "restore", "--in", all); err != nil || !strings.Contains(out, "every table and file matches the archive's checksums") {
			t.Fatalf("restore: %q, %v", out, err)
		}
		one := filepath.Join(dir, "lerouet.tar.gz")
		if out, err := runCmd(t, env, "tenant", "export", "--tenant", "lerouet", "--out", one); err != nil || !strings.Contains(out, "1 collectivités") {
			t.Fatalf("export: %q, %v", out, err)
		}
		// Another deployment, on a fresh database of the same engine.
		fresh := dbtest.URLs(t)[db.SQLite]
		if !strings.HasPrefix(url, "sqlite:") {
			fresh = dbtest.URLs(t)[db.Postgres]
		}
		other := map[string]string{"GUICHET_DATABASE_URL": fresh, "GUICHET_DATA_DIR": t.TempDir()}
		if out, err := runCmd(t, other, "tenant", "import", "--in", one); err != nil || !strings.Contains(out, "lerouet restored") {
			t.Fatalf("import: %q, %v", out, err)
		}
		if out, err := runCmd(t, other, "tenant", "list"); err != nil || !strings.Contains(out, "lerouet") || strings.Contains(out, "valbonne") {
			t.Fatalf("the other deployment's list: %q, %v", out, err)
		}
		if _, err := runCmd(t, other, "tenant", "import", "--in", one); err == nil || !strings.Contains(err.Error(), "déjà ici") {
			t.Errorf("a second import: %v", err)
		}
		if _, err := runCmd(t, env, "tenant", "export", "--out", one); err == nil {
			t.Error("an export without --tenant succeeded")
		}
	})
}
