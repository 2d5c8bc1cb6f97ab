package app_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
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
