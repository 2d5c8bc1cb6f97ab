package reports_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"guichet/internal/capability/reports"
)

// TestMailTemplatesInBothLanguages: every mail has its French and its
// English text, and the French one sets its punctuation with no-break
// spaces. (The outbox of the other tests renders each mail sent in both
// languages from its data.)
func TestMailTemplatesInBothLanguages(t *testing.T) {
	t.Parallel()
	names, err := fs.Glob(reports.MailFiles(), "mail/*.fr.txt")
	if err != nil || len(names) != 7 {
		t.Fatalf("French templates: %v, %v", names, err)
	}
	loose := regexp.MustCompile(`[ \p{L}][:;!?»]|«[^\x{00a0}]`) // an ordinary space, or none
	code := regexp.MustCompile(`\{\{[^}]*\}\}|https?://\S+`)
	for _, fr := range names {
		en := strings.TrimSuffix(fr, ".fr.txt") + ".en.txt"
		if _, err := fs.Stat(reports.MailFiles(), en); err != nil {
			t.Errorf("%s has no English: %v", fr, err)
		}
		b, _ := fs.ReadFile(reports.MailFiles(), fr)
		for i, line := range strings.Split(string(b), "\n") {
			if m := loose.FindString(code.ReplaceAllString(line, "")); m != "" {
				t.Errorf("%s:%d: %q lacks a no-break space", fr, i+1, m)
			}
		}
	}
}
