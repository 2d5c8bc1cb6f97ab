package e2e

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// tools are the paths of what the gate needs outside Go.
type tools struct {
	chromium string
	java     string
	axe      string // axe.min.js
	vnu      string // vnu.jar
}

// here is the e2e folder, where package.json and node_modules live.
func here() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

// findTools locates Chromium, Java and the npm packages, or says what is
// missing and how to install it.
func findTools() (tools, error) {
	var t tools
	var missing []error
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			t.chromium = p
			break
		}
	}
	if t.chromium == "" {
		missing = append(missing, errors.New("chromium not found (apt-get install chromium)"))
	}
	if p, err := exec.LookPath("java"); err == nil {
		t.java = p
	} else {
		missing = append(missing, errors.New("java not found (apt-get install default-jre-headless)"))
	}
	t.axe = filepath.Join(here(), "node_modules", "axe-core", "axe.min.js")
	t.vnu = filepath.Join(here(), "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
	for _, f := range []string{t.axe, t.vnu} {
		if _, err := os.Stat(f); err != nil {
			missing = append(missing, fmt.Errorf("%s missing (run npm ci in e2e/)", f))
		}
	}
	if len(missing) > 0 {
		return t, fmt.Errorf("browser tests cannot run; scripts/test-setup-browser installs what they need: %w",
			errors.Join(missing...))
	}
	return t, nil
}

// browserRequired reports whether a missing tool must fail the run.
func browserRequired() bool { return os.Getenv("GUICHET_TEST_REQUIRE_BROWSER") == "1" }
