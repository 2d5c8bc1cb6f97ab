package app_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"guichet/internal/app"
	"guichet/internal/apptest"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/web"
)

// TestEveryCapabilityKeepsTheContract walks the capabilities the app
// installs and fails when one lacks a part of the contract: migrations,
// demo content, isolation rows, access rows, or English for every French
// message of its web module.
func TestEveryCapabilityKeepsTheContract(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, dbtest.URLs(t)[db.SQLite])
	installed := e.App.Installed()
	if len(installed) != len(app.Capabilities()) {
		t.Fatalf("%d capabilities installed, %d listed", len(installed), len(app.Capabilities()))
	}
	names := map[string]bool{}
	for _, c := range installed {
		if names[c.Name()] {
			t.Errorf("two capabilities are named %q", c.Name())
		}
		names[c.Name()] = true
		for _, p := range contractProblems(c, e.App.ModuleOf(c)) {
			t.Errorf("capability %s: %s", c.Name(), p)
		}
	}
}

// TestContractCatchesAMissingPart proves the walk above can fail: a
// capability with no migrations, no demo, no isolation rows, no access
// rows and a French message without English is reported on each count.
func TestContractCatchesAMissingPart(t *testing.T) {
	t.Parallel()
	got := contractProblems(bare{}, bareModule{})
	want := []string{"no migrations", "no demo content", "no isolation rows", "no access rows",
		`message "bare.title" has no English`}
	if !slices.Equal(got, want) {
		t.Errorf("problems of an incomplete capability:\n got %q\nwant %q", got, want)
	}
}

// contractProblems lists what a capability lacks.
func contractProblems(c kernel.Capability, m web.Module) []string {
	var out []string
	if c.Migrations().Files == nil || !hasSQL(c.Migrations().Files) {
		out = append(out, "no migrations")
	}
	if _, ok := c.(kernel.DemoContent); !ok {
		out = append(out, "no demo content")
	}
	if iso, ok := c.(kernel.Isolated); !ok || len(iso.IsolationRows()) == 0 {
		out = append(out, "no isolation rows")
	}
	if g, ok := c.(kernel.Guarded); !ok || len(g.AccessRows()) == 0 {
		out = append(out, "no access rows")
	}
	if m == nil {
		return append(out, "no web module")
	}
	fr, en, err := messages(m.Assets())
	if err != nil {
		return append(out, err.Error())
	}
	keys := make([]string, 0, len(fr))
	for k := range fr {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if strings.TrimSpace(en[k]) == "" {
			out = append(out, fmt.Sprintf("message %q has no English", k))
		}
	}
	return out
}

// hasSQL tells whether a migration set holds at least one .sql file.
func hasSQL(files fs.FS) bool {
	found := false
	_ = fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".sql") {
			found = true
		}
		return nil
	})
	return found
}

// messages reads a module's messages/fr.json and messages/en.json.
func messages(files fs.FS) (fr, en map[string]string, err error) {
	if files == nil {
		return nil, nil, fmt.Errorf("no messages")
	}
	read := func(name string) (map[string]string, error) {
		b, err := fs.ReadFile(files, "messages/"+name)
		if err != nil {
			return nil, err
		}
		out := map[string]string{}
		return out, json.Unmarshal(b, &out)
	}
	if fr, err = read("fr.json"); err != nil {
		return nil, nil, err
	}
	en, err = read("en.json")
	return fr, en, err
}

// bare is a capability that declares only what the compiler demands.
type bare struct{}

func (bare) Name() string                               { return "bare" }
func (bare) Migrations() db.Migrations                  { return db.Migrations{} }
func (bare) Install(*kernel.Kernel) (web.Module, error) { return bareModule{}, nil }

type bareModule struct{}

func (bareModule) Name() string       { return "bare" }
func (bareModule) Routes(*web.Server) {}
func (bareModule) Assets() fs.FS {
	return fstest.MapFS{"messages/fr.json": {Data: []byte(`{"bare.title": "Sans anglais"}`)},
		"messages/en.json": {Data: []byte(`{}`)}}
}
