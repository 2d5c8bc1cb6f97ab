package publishing

import (
	"regexp"
	"strings"
	"testing"
)

var slugShape = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// FuzzSlugify checks the addresses made from titles: lower-case ASCII
// words joined by single dashes, at most 80 characters, unchanged when
// made again.
func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"Fête de l'été", "Conseil municipal du 12 mars 2026", "Œuvres d'art — exposition", "",
		"---", "Ça va ? Oui !", "日本語", strings.Repeat("Très long titre ", 20), "a\u0301b", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		s := Slugify(title)
		if !slugShape.MatchString(s) || len(s) > 80 {
			t.Fatalf("Slugify(%q) = %q", title, s)
		}
		if again := Slugify(s); again != s {
			t.Fatalf("Slugify(%q) = %q, then %q", title, s, again)
		}
	})
}
