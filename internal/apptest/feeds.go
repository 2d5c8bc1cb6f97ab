package apptest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// ParseFeed runs e2e/feeds/parse.mjs (ical.js, @rowanmanning/feed-parser)
// on a document and decodes what the parser understood.
func ParseFeed(t *testing.T, kind, doc string, into any) {
	t.Helper()
	node, err := exec.LookPath("node")
	_, here, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(here), "..", "..", "e2e", "feeds", "parse.mjs")
	mods := filepath.Join(filepath.Dir(script), "..", "node_modules", "ical.js")
	if _, serr := os.Stat(mods); err != nil || serr != nil {
		if os.Getenv("GUICHET_TEST_REQUIRE_BROWSER") == "1" {
			t.Fatal("node or e2e/node_modules missing: run scripts/test-setup-browser")
		}
		t.Skip("node or e2e/node_modules missing: run scripts/test-setup-browser")
	}
	file := filepath.Join(t.TempDir(), "doc")
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, script, kind, file)
	cmd.Env = append(os.Environ(), "TZ=UTC")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", kind, err, out)
	}
	if err := json.Unmarshal(out, into); err != nil {
		t.Fatalf("parser output: %v\n%s", err, out)
	}
}
