package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"guichet/internal/db"
	"guichet/internal/dbtest"
	"guichet/internal/demo"
	"guichet/internal/tenant"
)

// isolationRow is one attempt, from the village's host, to read or change
// a record of the town. Each domain adds its rows in its own
// isolation_<domain>_test.go, with an init that appends to isolationRows.
type isolationRow struct {
	name string
	// as is who tries: "village-admin" (the village's administrator),
	// "town-session" (the town resident's cookies sent to the village's
	// host) or "anonymous".
	as     string
	method string
	form   url.Values
	// target creates or finds the town's record and returns the path to
	// try on the village's host, and markers only that record contains.
	target func(t *testing.T, e *demoEnv, town *tenant.Tenant) (path string, leak []string)
	// want is the status the village must get.
	want int
	// unchanged, when set, checks after every attempt that the town's
	// records are intact.
	unchanged func(t *testing.T, e *demoEnv, town *tenant.Tenant)
}

// isolationRows is the table; domains append to it.
var isolationRows []isolationRow

func TestTenantIsolation(t *testing.T) {
	if len(isolationRows) == 0 {
		t.Fatal("no isolation rows registered")
	}
	urls := dbtest.URLs(t)
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			u, ok := urls[dialect]
			if !ok {
				t.Skip("PostgreSQL not configured: set GUICHET_TEST_POSTGRES=postgres://…")
			}
			e := newDemoEnv(t, u)
			ctx := context.Background()
			town, err := e.app.Tenants.BySlug(ctx, demo.Town)
			if err != nil {
				t.Fatal(err)
			}
			resident := e.browser(t, "montclair.localhost").signIn(townResident)
			village := map[string]*browser{
				"village-admin": e.browser(t, "sauvigny.localhost").signIn("mairie@sauvigny.localhost"),
				"town-session":  resident.at("sauvigny.localhost"),
				"anonymous":     e.browser(t, "sauvigny.localhost"),
			}
			for _, row := range isolationRows {
				t.Run(row.name, func(t *testing.T) {
					path, leak := row.target(t, e, town)
					b := village[row.as]
					b.t = t
					p := b.do(row.method, path, row.form, nil)
					if p.status != row.want {
						t.Errorf("%s %s as %s: status %d, want %d", row.method, path, row.as, p.status, row.want)
					}
					for _, m := range leak {
						if strings.Contains(p.body, m) {
							t.Errorf("the answer reveals the town's %q", m)
						}
					}
					if row.unchanged != nil {
						row.unchanged(t, e, town)
					}
				})
			}
			resident.t = t
			if p := resident.get("/api/v1/me"); p.status != http.StatusOK {
				t.Errorf("the town resident's session ended: %d", p.status)
			}
		})
	}
}

// townResident is the demo resident of the town whose cookies the
// "town-session" rows send to the village.
const townResident = "habitante@courriel.localhost"

// path returns a target with a fixed path and leak markers.
func path(p string, leak ...string) func(*testing.T, *demoEnv, *tenant.Tenant) (string, []string) {
	return func(*testing.T, *demoEnv, *tenant.Tenant) (string, []string) { return p, leak }
}
