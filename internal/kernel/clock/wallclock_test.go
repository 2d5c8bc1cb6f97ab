package clock

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readsWallClock lists the files allowed to read the machine's clock
// directly, and why: they measure how long something took or how old a
// cached value is, or compare with a time set by an outside party.
var readsWallClock = map[string]string{
	"internal/kernel/clock/clock.go":               "the system clock itself",
	"internal/kernel/web/observe.go":               "request latency",
	"cmd/guichet/seed.go":                          "how long seeding took",
	"cmd/guichet/backup.go":                        "how long a backup took",
	"cmd/guichet/importcmd.go":                     "how long an import took",
	"internal/kernel/backup/backup.go":             "when an archive was really made",
	"internal/kernel/db/busy.go":                   "a second of failing fast after a busy database, in real time",
	"internal/kernel/db/migrate.go":                "when a migration was really applied",
	"internal/kernel/tenant/resolver.go":           "age of a cached host",
	"internal/kernel/invalidate/memo.go":           "age of a memo entry",
	"internal/identity/oidc/oidcweb/buttons.go":    "age of cached provider names",
	"internal/capability/a11y/store.go":            "age of a cached conformity level",
	"internal/identity/oidc/discovery.go":          "age of a provider's cached metadata",
	"internal/identity/oidc/userinfo.go":           "the provider's expiry, set by the provider's clock",
	"internal/identity/oidc/oidctest/provider.go":  "the test provider stands for an outside server",
	"internal/capability/appointment/occupancy.go": "age of an occupancy snapshot",
	"internal/capability/appointment/cache.go":     "age of a cached agenda",
	"internal/kernel/files/database.go":            "when a body was really written (the rules read the dates of the records that name it)",
	"internal/kernel/live/stream.go":               "a write deadline on the network, in real time",
	"internal/kernel/mailtest/cert.go":             "the test server's certificate, which TLS clients check against the real clock",
}

// TestEveryRuleReadsTheInjectedClock fails when code outside the list above
// (and outside scripts/, the tools that time runs) reads time.Now,
// time.Since or time.Until: dates must come from the clock
// handed down by the application, so that tests can set them.
func TestEveryRuleReadsTheInjectedClock(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	fset := token.NewFileSet()
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "testdata" || rel == "scripts") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "time" &&
				(sel.Sel.Name == "Now" || sel.Sel.Name == "Since" || sel.Sel.Name == "Until") {
				if _, allowed := readsWallClock[rel]; allowed {
					seen[rel] = true
				} else {
					t.Errorf("%s: time.%s: read the injected clock instead (a store's Now, App.Now)", fset.Position(sel.Pos()), sel.Sel.Name)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for file := range readsWallClock {
		if !seen[file] {
			t.Errorf("%s no longer reads the wall clock: remove it from the list", file)
		}
	}
	registersCaches(t, root)
}

// registersCaches fails when a package keeping the age of a cached value
// registers no cache on the invalidation seam (docs/ARCHITECTURE.md, "In-process
// caches"): writes elsewhere could not tell it that something changed.
func registersCaches(t *testing.T, root string) {
	for file, why := range readsWallClock {
		if !strings.HasPrefix(why, "age of") {
			continue
		}
		dir := filepath.Join(root, filepath.Dir(file))
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		registered := false
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go") {
				src, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				// The seam's own memo registers as Cache{ in its package.
				registered = registered || strings.Contains(string(src), "invalidate.Cache{") ||
					strings.HasSuffix(dir, filepath.Join("kernel", "invalidate")) && strings.Contains(string(src), "Register(Cache{")
			}
		}
		if !registered {
			t.Errorf("%s keeps the %s but its package registers no invalidate.Cache", file, strings.TrimPrefix(why, "age of "))
		}
	}
}
