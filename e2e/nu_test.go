package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"time"
)

// nuMessage is one message of the Nu HTML Checker's JSON output.
type nuMessage struct {
	Type     string `json:"type"`
	URL      string `json:"url"`
	LastLine int    `json:"lastLine"`
	Message  string `json:"message"`
	Extract  string `json:"extract"`
}

// nuErrors checks every stored page in one JVM run and returns the errors
// per page label.
func nuErrors(s *htmlStore) (map[string][]string, error) {
	if len(s.label) == 0 {
		return nil, nil
	}
	files := make([]string, 0, len(s.label))
	for f := range s.label {
		files = append(files, f)
	}
	sort.Strings(files)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	args := append([]string{"-jar", tool.vnu, "--format", "json", "--errors-only"}, files...)
	cmd := exec.CommandContext(ctx, tool.java, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var out struct {
		Messages []nuMessage `json:"messages"`
	}
	// The checker exits 1 when it finds errors and writes its JSON to stderr.
	if jerr := json.Unmarshal(stderr.Bytes(), &out); jerr != nil {
		return nil, fmt.Errorf("nu checker: %v; exit %v; output %s", jerr, err, stderr.String()+stdout.String())
	}
	byPage := map[string][]string{}
	for _, m := range out.Messages {
		if m.Type != "error" && m.Type != "non-document-error" {
			continue
		}
		file := strings.TrimPrefix(m.URL, "file:")
		label := s.label[file]
		if label == "" {
			label = file
		}
		byPage[label] = append(byPage[label], fmt.Sprintf("line %d: %s [%s]", m.LastLine, m.Message, strings.TrimSpace(m.Extract)))
	}
	return byPage, nil
}
