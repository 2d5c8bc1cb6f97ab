package app_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/kernel"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

// isolationRow is one attempt, from the village's host, to read or change
// a record of the town. The kernel's rows are here, in
// isolation_<part>_test.go files whose init appends to isolationRows; each
// capability declares its own through kernel.Isolated.
type isolationRow struct {
	name string
	// as is who tries: kernel.AsVillageAdmin, AsTownSession or AsAnonymous.
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

// isolationRows are the kernel's rows.
var isolationRows []isolationRow

func TestTenantIsolation(t *testing.T) {
	t.Parallel()
	if len(isolationRows) == 0 {
		t.Fatal("no isolation rows registered")
	}
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		resident := e.Browser(e.Town).SignInDemo(t, townResident)
		village := map[string]*apptest.Browser{
			kernel.AsVillageAdmin: e.Browser(e.Village).SignInDemo(t, "mairie@sauvigny.localhost"),
			kernel.AsTownSession:  resident.On(e.Host(e.Village)),
			kernel.AsAnonymous:    e.Browser(e.Village),
		}
		for _, row := range append(slices.Clone(isolationRows), capabilityRows(e)...) {
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

// capabilityRows are the rows the installed capabilities declare, named
// after their capability.
func capabilityRows(e *apptest.Env) []isolationRow {
	var rows []isolationRow
	for _, c := range e.App.Installed() {
		iso, ok := c.(kernel.Isolated)
		if !ok {
			continue
		}
		for _, r := range iso.IsolationRows() {
			row := isolationRow{name: c.Name() + ": " + r.Name, as: r.As, method: r.Method, form: r.Form, want: r.Want,
				target: func(t *testing.T, _ *apptest.Env, town *tenant.Tenant) (string, []string) {
					path, leak, err := r.Target(t.Context(), town)
					if err != nil {
						t.Fatalf("target: %v", err)
					}
					return path, leak
				}}
			if r.Unchanged != nil {
				row.unchanged = func(t *testing.T, _ *apptest.Env, town *tenant.Tenant) {
					if err := r.Unchanged(t.Context(), town); err != nil {
						t.Error(err)
					}
				}
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// townResident is the demo resident of the town whose cookies the
// "town-session" rows send to the village.
const townResident = demo.Resident

// path returns a target with a fixed path and leak markers.
func path(p string, leak ...string) func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) {
	return func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) { return p, leak }
}
