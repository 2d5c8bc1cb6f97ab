package app_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// Where the source names a message: a template's T "key" or printf
// "prefix.%s", and in Go a T call's key, a key field, a revision field's
// label, or a prefix a value is appended to ("alerts.severity."+a.Severity).
var (
	messageKey       = `([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)`
	templateKeys     = regexp.MustCompile(`\bT "` + messageKey + `"`)
	templatePrefixes = regexp.MustCompile(`\bT \(printf "([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*[._])%s"`)
	goKeys           = regexp.MustCompile(`\bT\((?:[\w.]+(?:\(\))?, )?"` + messageKey + `"(?:[,)]| *$)|\b(?:NavItem|Section)\{Key: "` + messageKey + `"|\b(?:DescKey|TitleKey|TextKey|Effect): "` + messageKey + `"|Message\([^"]*"` + messageKey + `", "` + messageKey + `"\)|\.(?:Text|Markdown)\("\w+", "` + messageKey + `"`)
	goPrefixes       = regexp.MustCompile(`\bT\((?:[\w.]+(?:\(\))?, )?"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*[._])" ?\+`)
)

// TestEveryMessageKeyIsDefined reads every template and Go file of the
// application for the message keys they name and fails on one that no
// module's messages define: a page would show the key instead of words.
// A prefix (a key built from a value) needs at least one message.
func TestEveryMessageKeyIsDefined(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, dbtest.URLs(t)[db.SQLite])
	cat := e.App.Web.Render.Cat
	defined := func(key string) bool { return cat.T("fr", key) != key }
	hasPrefix := func(prefix string) bool { return cat.HasPrefix("fr", prefix) }
	keys, prefixes := map[string]string{}, map[string]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") {
			return err
		}
		var named, prefixed *regexp.Regexp
		switch filepath.Ext(path) {
		case ".html":
			named, prefixed = templateKeys, templatePrefixes
		case ".go":
			named, prefixed = goKeys, goPrefixes
		default:
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range named.FindAllStringSubmatch(string(src), -1) {
			for _, k := range m[1:] {
				if k != "" {
					keys[k] = path
				}
			}
		}
		for _, m := range prefixed.FindAllStringSubmatch(string(src), -1) {
			prefixes[m[1]] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 500 || len(prefixes) < 10 {
		t.Fatalf("found %d keys and %d prefixes in the source: the search is broken", len(keys), len(prefixes))
	}
	for k, where := range keys {
		if !defined(k) {
			t.Errorf("%s names the message %q, which no module defines", where, k)
		}
	}
	for p, where := range prefixes {
		if !hasPrefix(p) {
			t.Errorf("%s builds messages from %q, under which no module defines any", where, p)
		}
	}
}
