package appointmentweb_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// parsedICS is what ical.js read in an .ics file.
type parsedICS struct {
	Method, Version, UID, Summary, Location, Status, Organizer, Attendee string
	Sequence                                                             int
	Start, End                                                           string
}

// parseICS runs ical.js (pinned in e2e/package.json) on raw through Node.
// Without Node or the npm packages the test is skipped, unless the full
// suite requires the browser gate's tools.
func parseICS(t *testing.T, raw []byte) parsedICS {
	t.Helper()
	lib, _ := filepath.Abs("../../../../e2e/node_modules/ical.js/dist/ical.js")
	node, err := exec.LookPath("node")
	if _, statErr := os.Stat(lib); err != nil || statErr != nil {
		if os.Getenv("GUICHET_TEST_REQUIRE_BROWSER") == "1" {
			t.Fatalf("ical.js or node missing (run scripts/test-setup-browser): %v %v", err, statErr)
		}
		t.Skip("ical.js not installed: run scripts/test-setup-browser")
	}
	cmd := exec.Command(node, "testdata/parse-ics.mjs", lib)
	cmd.Stdin = bytes.NewReader(raw)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ical.js refused the file: %v\n%s\n%s", err, stderr.String(), raw)
	}
	var p parsedICS
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatalf("parse-ics output %q: %v", out, err)
	}
	return p
}
