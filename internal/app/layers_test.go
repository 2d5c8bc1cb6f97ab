package app_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLayersImportOneWay keeps the map of docs/ARCHITECTURE.md true: a
// capability imports the kernel, identity and publishing, never another
// capability; the kernel, identity and publishing import no capability
// (internal/app installs them);
// a capability's domain package imports no web package; nothing but
// cmd/ imports internal/app.
func TestLayersImportOneWay(t *testing.T) {
	t.Parallel()
	const module = "guichet/"
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(filepath.Join(root, "internal"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		pkg := filepath.ToSlash(filepath.Dir(rel))
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, spec := range f.Imports {
			imp, _ := strconv.Unquote(spec.Path.Value)
			if !strings.HasPrefix(imp, module) {
				continue
			}
			checked++
			if why := forbidden(pkg, strings.TrimPrefix(imp, module)); why != "" {
				t.Errorf("%s imports %s: %s", rel, imp, why)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 500 {
		t.Fatalf("only %d imports checked: the walk is broken", checked)
	}
}

// forbidden says why package pkg may not import imp, or "".
func forbidden(pkg, imp string) string {
	capOf := func(p string) string { // "appointment" for internal/capability/appointment/…
		rest, ok := strings.CutPrefix(p, "internal/capability/")
		if !ok {
			return ""
		}
		name, _, _ := strings.Cut(rest, "/")
		return name
	}
	isWeb := func(p string) bool {
		return p == "internal/kernel/web" || strings.HasPrefix(p, "internal/kernel/web/") || strings.HasSuffix(p, "web")
	}
	switch {
	case strings.HasPrefix(imp, "internal/app") && pkg != "internal/apptest":
		return "only cmd/ and tests assemble the application"
	case capOf(imp) != "" && capOf(pkg) == "" && pkg != "internal/app" && pkg != "internal/apptest":
		return "the kernel, identity and publishing know no capability"
	case capOf(imp) != "" && capOf(pkg) != "" && capOf(imp) != capOf(pkg):
		return "a capability never imports another; cross-capability features go through the kernel's registries"
	case capOf(pkg) != "" && pkg == "internal/capability/"+capOf(pkg) && isWeb(imp):
		return "a domain package knows no web package (kiosks, API clients and jobs use it without HTML)"
	}
	return ""
}

func TestLayersRuleRefusesWhatTheMapForbids(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		pkg, imp string
		refused  bool
	}{
		{"internal/capability/news", "internal/capability/appointment", true},
		{"internal/capability/news/newsweb", "internal/capability/appointment/appointmentweb", true},
		{"internal/capability/appointment", "internal/capability/appointment/appointmentweb", true},
		{"internal/capability/appointment", "internal/kernel/web", true},
		{"internal/kernel/web", "internal/capability/news", true},
		{"internal/identity/account", "internal/app", true},
		{"internal/capability/news/newsweb", "internal/capability/news", false},
		{"internal/capability/news/newsweb", "internal/kernel/web", false},
		{"internal/capability/news", "internal/publishing/search", false},
		{"internal/app", "internal/capability/news/newsweb", false},
	} {
		if got := forbidden(c.pkg, c.imp) != ""; got != c.refused {
			t.Errorf("%s importing %s: refused %v, want %v", c.pkg, c.imp, got, c.refused)
		}
	}
}
