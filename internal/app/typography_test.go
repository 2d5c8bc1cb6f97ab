package app_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// breakable is a plain space where French typography wants one that does
// not break: before « : ; ? ! » and after « (a line would otherwise start
// with the sign, alone).
var breakable = regexp.MustCompile(` [:;?!»]|« `)

// TestFrenchMessagesKeepTheirSpaces: no French message of any module
// lets a line break before a colon, a question mark or a closing quote.
func TestFrenchMessagesKeepTheirSpaces(t *testing.T) {
	t.Parallel()
	files := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "fr.json" || filepath.Base(filepath.Dir(path)) != "messages" {
			return err
		}
		files++
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var messages map[string]string
		if err := json.Unmarshal(raw, &messages); err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		for key, text := range messages {
			if loc := breakable.FindStringIndex(text); loc != nil {
				t.Errorf("%s: %s: a breaking space in %q", path, key, text[max(0, loc[0]-20):min(len(text), loc[1]+10)])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 15 {
		t.Fatalf("%d French message files found: the walk missed modules", files)
	}
}

// action is a template action, whose text is code, not French.
var action = regexp.MustCompile(`(?s)\{\{.*?\}\}`)

// TestFrenchMailsKeepTheirSpaces: the French emails (subject, text and
// HTML bodies) follow the same rule as the messages.
func TestFrenchMailsKeepTheirSpaces(t *testing.T) {
	t.Parallel()
	files := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(filepath.Dir(path)) != "mail" ||
			!strings.HasSuffix(d.Name(), ".fr.txt") && !strings.HasSuffix(d.Name(), ".fr.html") {
			return err
		}
		files++
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		text := action.ReplaceAllString(string(raw), "{}")
		for _, loc := range breakable.FindAllStringIndex(text, -1) {
			t.Errorf("%s: a breaking space in %q", path, text[max(0, loc[0]-20):min(len(text), loc[1]+10)])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 30 {
		t.Fatalf("%d French mail templates found: the walk missed modules", files)
	}
}
