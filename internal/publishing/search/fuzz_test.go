package search

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// FuzzTerms checks the analysis of what visitors type in the search box:
// at most one term per word, each non-empty, lower case and without
// accents or separators; the same terms whether the query came composed
// or decomposed (é or e + ◌́, as some keyboards send it); and a document
// holding the query's text is found by it.
func FuzzTerms(f *testing.F) {
	for _, s := range []string{"conseils municipaux", "Rentrée à l'École Jules-Ferry", "qu'il", "œuvres d'art",
		"horaires déchetterie", "CAFÉ", "2026", "l' a", "\xff\xfe", "e\u0301cole", "İstanbul", "ǅemal", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		terms := Terms(q)
		seen := map[string]bool{}
		for _, term := range terms {
			if term == "" || seen[term] {
				t.Fatalf("Terms(%q) = %q", q, terms)
			}
			seen[term] = true
			if strings.ContainsFunc(term, func(r rune) bool {
				return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.Is(unicode.Mn, r)
			}) {
				t.Fatalf("Terms(%q) holds %q", q, term)
			}
		}
		if len(terms) > len(tokens(q)) {
			t.Fatalf("Terms(%q) = %q: more terms than words", q, terms)
		}
		if d := Terms(norm.NFD.String(q)); strings.Join(d, " ") != strings.Join(terms, " ") {
			t.Fatalf("Terms(%q) = %q, decomposed %q", q, terms, d)
		}
		// The body of a document is indexed word by word: every term of
		// a query is among the terms of the same text.
		indexed := map[string]bool{}
		for _, tok := range tokens(q) {
			indexed[tok.term] = true
		}
		for _, term := range terms {
			if !indexed[term] {
				t.Fatalf("a document holding %q is not found by its term %q", q, term)
			}
		}
	})
}

// FuzzExcerpt checks what a results page shows of a document: the marked
// title gives back the title, and an excerpt is a piece of the body with
// the query's words marked.
func FuzzExcerpt(f *testing.F) {
	f.Add("Travaux rue Victor-Hugo", "La rue Victor-Hugo est fermée à la circulation pendant les travaux de voirie.", "travaux", 30)
	f.Add("Rentrée à l'École", "Les inscriptions scolaires sont ouvertes en mairie jusqu'au 30 juin.", "école inscription", 5)
	f.Add("", "", "x", 0)
	f.Add("é\u0301", "\xff a \xff", "a", 1)
	f.Fuzz(func(t *testing.T, title, body, query string, words int) {
		words = 1 + abs(words)%60
		want := map[string]bool{}
		for _, term := range Terms(query) {
			want[term] = true
		}
		var b strings.Builder
		for _, s := range highlight(title, want, Term) {
			b.WriteString(s.Text)
			if s.Mark && !want[Term(s.Text)] {
				t.Fatalf("%q marked in %q for %q", s.Text, title, query)
			}
		}
		if b.String() != title {
			t.Fatalf("highlighted title %q reads %q", title, b.String())
		}
		segs := Excerpt(body, want, words)
		b.Reset()
		for i, s := range segs {
			text := s.Text
			if i == 0 {
				text = strings.TrimPrefix(text, "… ")
			}
			if i == len(segs)-1 {
				text = strings.TrimSuffix(text, " …")
			}
			b.WriteString(text)
		}
		if !strings.Contains(body, b.String()) {
			t.Fatalf("excerpt %q is not in %q", b.String(), body)
		}
		if len(tokens(b.String())) > words {
			t.Fatalf("excerpt %q has more than %d words", b.String(), words)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// FuzzParseCursor checks the result pages' cursors read from URLs: an
// accepted cursor encodes back to itself, and a written one reads back.
func FuzzParseCursor(f *testing.F) {
	f.Add("", 12, int64(1773649800000000000), "news:travaux-rue-victor-hugo")
	f.Add(cursor{score: 3, at: time.Unix(0, 5).UTC(), key: "event:a|b"}.String(), -1, int64(-1), "")
	f.Add("MXwyfA", 0, int64(0), "\xff")
	f.Fuzz(func(t *testing.T, s string, score int, ns int64, key string) {
		if c, ok := parseCursor(s); ok {
			if again, ok := parseCursor(c.String()); !ok || again != c {
				t.Fatalf("%q read as %+v, which reads back as %+v", s, c, again)
			}
		}
		c := cursor{score: score, at: time.Unix(0, ns).UTC(), key: key}
		if got, ok := parseCursor(c.String()); !ok || got != c {
			t.Fatalf("%+v reads back as %+v", c, got)
		}
	})
}
