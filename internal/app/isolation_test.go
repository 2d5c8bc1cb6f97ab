package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/kernel/tenant"
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
	target func(t *testing.T, e *apptest.Env, town *tenant.Tenant) (path string, leak []string)
	// want is the status the village must get.
	want int
	// unchanged, when set, checks after every attempt that the town's
	// records are intact.
	unchanged func(t *testing.T, e *apptest.Env, town *tenant.Tenant)
}

// isolationRows is the table; domains append to it.
var isolationRows []isolationRow

func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	if len(isolationRows) == 0 {
		t.Fatal("no isolation rows registered")
	}
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		resident := e.Browser(e.Town).SignInDemo(t, townResident)
		village := map[string]*apptest.Browser{
			"village-admin": e.Browser(e.Village).SignInDemo(t, "mairie@sauvigny.localhost"),
			"town-session":  resident.On(e.Host(e.Village)),
			"anonymous":     e.Browser(e.Village),
		}
		for _, row := range isolationRows {
			t.Run(row.name, func(t *testing.T) {
				path, leak := row.target(t, e, e.Town)
				res := village[row.as].Do(row.method, path, row.form, nil)
				if res.Status != row.want {
					t.Errorf("%s %s as %s: status %d, want %d", row.method, path, row.as, res.Status, row.want)
				}
				for _, m := range leak {
					if strings.Contains(res.Body, m) {
						t.Errorf("the answer reveals the town's %q", m)
					}
				}
				if row.unchanged != nil {
					row.unchanged(t, e, e.Town)
				}
			})
		}
		if res := resident.Get("/api/v1/me"); res.Status != http.StatusOK {
			t.Errorf("the town resident's session ended: %d", res.Status)
		}
	}, apptest.WithDemoData())
}

// townResident is the demo resident of the town whose cookies the
// "town-session" rows send to the village.
const townResident = "habitante@courriel.localhost"

// path returns a target with a fixed path and leak markers.
func path(p string, leak ...string) func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) {
	return func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) { return p, leak }
}
