package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tenant"
)

// testSecretKey is the server key the command tests run with.
const testSecretKey = "a-secret-key-for-the-command-tests"

// "audit verify" reports each chain and exits non-zero once a row is
// changed; "audit export" writes a file that "audit verify --file" checks.
func TestAuditVerifyAndExport(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, url string) {
		ctx := context.Background()
		env := map[string]string{"GUICHET_DATABASE_URL": url, "GUICHET_DATA_DIR": t.TempDir(), "GUICHET_SECRET_KEY": testSecretKey}
		for _, args := range [][]string{
			{"tenant", "create", "--slug", "lerouet", "--name", "Commune du Rouet", "--insee", "54084", "--siret", "21869900700017"},
			{"user", "create", "--tenant", "lerouet", "--email", "maire@lerouet.localhost", "--name", "Claude Mercier"},
			{"user", "create", "--tenant", "lerouet", "--email", "dgs@lerouet.localhost", "--name", "Dominique Roy"},
		} {
			if out, err := runCmd(t, env, args...); err != nil {
				t.Fatalf("%v: %q, %v", args, out, err)
			}
		}
		out, err := runCmd(t, env, "audit", "verify")
		if err != nil || !strings.Contains(out, "lerouet: intact, 2 entries (1 to 2)") || !strings.Contains(out, "platform: intact, 0 entries") {
			t.Fatalf("audit verify: %q, %v", out, err)
		}
		export, err := runCmd(t, env, "audit", "export", "--tenant", "lerouet")
		if err != nil || strings.Count(export, "\n") != 2 || !strings.Contains(export, `"action":"staff.user_created"`) {
			t.Fatalf("audit export: %q, %v", export, err)
		}
		file := filepath.Join(t.TempDir(), "journal.jsonl")
		if err := os.WriteFile(file, []byte(export), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := runCmd(t, env, "audit", "verify", "--file", file); err != nil || !strings.Contains(out, "intact, 2 entries") {
			t.Fatalf("audit verify --file: %q, %v", out, err)
		}
		if out, err := runCmd(t, env, "audit", "export", "--tenant", "lerouet", "--format", "csv"); err != nil ||
			!strings.HasPrefix(out, "seq,id,tenant_id,at,") {
			t.Fatalf("audit export --format csv: %q, %v", out, err)
		}

		d, err := db.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		town, err := tenant.NewStore(d).BySlug(ctx, "lerouet")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE audit_log SET target = 'autre@lerouet.localhost' WHERE tenant_id = ? AND seq = 1`, town.ID); err != nil {
			t.Fatal(err)
		}
		out, err = runCmd(t, env, "audit", "verify", "--tenant", "lerouet")
		if err == nil || !strings.Contains(out, "lerouet: BROKEN at entry 1") || !strings.Contains(out, "a field was changed") {
			t.Fatalf("audit verify after a change: %q, %v", out, err)
		}
		changed := strings.Replace(export, "maire@", "autre@", 1)
		if err := os.WriteFile(file, []byte(changed), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := runCmd(t, env, "audit", "verify", "--file", file); err == nil || !strings.Contains(out, "BROKEN at entry 1") {
			t.Fatalf("audit verify --file after a change: %q, %v", out, err)
		}
		delete(env, "GUICHET_SECRET_KEY")
		if out, err := runCmd(t, env, "audit", "verify"); err == nil || !strings.Contains(err.Error(), "secret key") {
			t.Fatalf("audit verify without the key: %q, %v", out, err)
		}
	})
}
