package search

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// allHits returns every hit of a query, page after page.
func allHits(t *testing.T, ix *Index, tenantID, q string) []Hit {
	t.Helper()
	var out []Hit
	after := ""
	for range 100 {
		p, err := ix.Search(context.Background(), Query{TenantID: tenantID, Text: q, Limit: 7, After: after})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		out = append(out, p.Hits...)
		if after = p.Next; after == "" {
			return out
		}
	}
	t.Fatalf("%q: pages never end", q)
	return nil
}

// TestAddingAWordKeepsEveryDocumentHoldingAllWords: whatever word is
// added to a query, a document that held every word of it is still found,
// and documents holding every word rank above those holding fewer.
func TestAddingAWordKeepsEveryDocumentHoldingAllWords(t *testing.T) {
	t.Parallel()
	withCorpus(t, func(t *testing.T, ix *Index, tenantID string) {
		ctx := context.Background()
		for i, text := range accentedTexts {
			if err := Put(ctx, ix.db, Doc{TenantID: tenantID, Kind: "page", ID: "avis-" + string(rune('a'+i)), Title: "Avis",
				URL: "/avis", Body: text, PublishedAt: ix.Now().AddDate(0, 0, -1)}); err != nil {
				t.Fatal(err)
			}
		}
		// Queries are pairs of neighbouring words of a text, so that some
		// documents hold both; the added words come from the whole corpus.
		var words, queries []string
		seen := map[string]bool{}
		texts := slices.Clone(accentedTexts)
		for _, d := range corpus {
			texts = append(texts, d.Title+" "+d.Body)
		}
		for _, text := range texts {
			var own []string
			for _, tok := range tokens(text) {
				if tok.term == "" {
					continue
				}
				w := text[tok.start:tok.end]
				own = append(own, w)
				if !seen[tok.term] {
					seen[tok.term] = true
					words = append(words, w)
				}
			}
			for k := 0; k+1 < len(own); k += 2 {
				queries = append(queries, own[k]+" "+own[k+1])
			}
		}
		tried := 0
		for _, query := range queries {
			before := allHits(t, ix, tenantID, query)
			assertRankedByWords(t, query, before)
			for j := 0; j < len(words); j += 9 {
				longer := query + " " + words[j]
				after := allHits(t, ix, tenantID, longer)
				assertRankedByWords(t, longer, after)
				for _, h := range before {
					if !h.AllWords {
						continue
					}
					tried++
					if !slices.ContainsFunc(after, func(g Hit) bool { return g.Kind == h.Kind && g.ID == h.ID }) {
						t.Errorf("%q finds %s:%s with every word; %q drops it", query, h.Kind, h.ID, longer)
					}
				}
			}
		}
		if tried < 200 {
			t.Errorf("only %d documents tried: the property is hardly tried", tried)
		}
	})
}

func assertRankedByWords(t *testing.T, q string, hits []Hit) {
	t.Helper()
	for i := 1; i < len(hits); i++ {
		if hits[i].Matched > hits[i-1].Matched {
			t.Errorf("%q: %s:%s holds %d words but ranks below %s:%s holding %d", q,
				hits[i].Kind, hits[i].ID, hits[i].Matched, hits[i-1].Kind, hits[i-1].ID, hits[i-1].Matched)
		}
	}
}

func TestCorrectionsAndPrefixes(t *testing.T) {
	t.Parallel()
	withCorpus(t, func(t *testing.T, ix *Index, tenantID string) {
		ctx := context.Background()
		for q, want := range map[string]string{
			"bibliotehque":          "bibliothèque",
			"horaires de la pisine": "horaires de la piscine",
			"inscritpion scolaire":  "inscriptions scolaire",
			"potabel":               "potable",
		} {
			p, err := ix.Search(ctx, Query{TenantID: tenantID, Text: q})
			if err != nil {
				t.Fatal(err)
			}
			if p.Corrected != want || len(p.Hits) == 0 {
				t.Errorf("%q: corrected to %q with %d hits, want %q", q, p.Corrected, len(p.Hits), want)
			}
		}
		for _, q := range []string{"bibliothèque", "biblio", "piscine", "xyzzy", "eau"} {
			p, err := ix.Search(ctx, Query{TenantID: tenantID, Text: q})
			if err != nil {
				t.Fatal(err)
			}
			if p.Corrected != "" {
				t.Errorf("%q: corrected to %q although nothing is misspelt", q, p.Corrected)
			}
		}
		// A finished word (followed by a space) is not a prefix.
		if hits := searchKeys(t, ix, tenantID, "biblioth "); len(hits) != 0 {
			t.Errorf("a finished word read as a prefix: %v", hits)
		}
	})
}

func TestKindsAreCountedAndGrouped(t *testing.T) {
	t.Parallel()
	withCorpus(t, func(t *testing.T, ix *Index, tenantID string) {
		ctx := context.Background()
		p, err := ix.Search(ctx, Query{TenantID: tenantID, Text: "eau travaux", PerKind: 1})
		if err != nil {
			t.Fatal(err)
		}
		// coupure (news, both words), travaux (news), eau (question).
		want := []KindCount{{Kind: "news", Count: 2}, {Kind: "question", Count: 1}}
		if !slices.Equal(p.Kinds, want) {
			t.Errorf("kinds %+v, want %+v", p.Kinds, want)
		}
		var got []string
		for _, h := range p.Hits {
			got = append(got, h.Kind+":"+h.ID)
		}
		if !slices.Equal(got, []string{"news:coupure", "question:eau"}) {
			t.Errorf("one hit per kind: got %v", got)
		}
		if p.Next != "" {
			t.Errorf("a grouped page has no next page")
		}
		if !p.Hits[0].AllWords || p.Hits[0].InTitle || p.Hits[1].AllWords {
			t.Errorf("words: %+v", p.Hits)
		}
		p, err = ix.Search(ctx, Query{TenantID: tenantID, Text: "piscine municipale"})
		if err != nil || len(p.Hits) == 0 || !p.Hits[0].InTitle {
			t.Errorf("a title holding every word is not told: %+v %v", p, err)
		}
	})
}

func TestExpiredDocumentsAreNotFound(t *testing.T) {
	t.Parallel()
	withCorpus(t, func(t *testing.T, ix *Index, tenantID string) {
		ctx := context.Background()
		now := ix.Now()
		for id, until := range map[string]time.Time{"current": now.Add(time.Hour), "ended": now.Add(-time.Minute)} {
			if err := Put(ctx, ix.db, Doc{TenantID: tenantID, Kind: "alert", ID: id, Title: "Canicule", URL: "/alertes",
				PublishedAt: now.Add(-24 * time.Hour), ExpiresAt: until}); err != nil {
				t.Fatal(err)
			}
		}
		if hits := searchKeys(t, ix, tenantID, "canicule"); !slices.Equal(hits, []string{"alert:current"}) {
			t.Errorf("canicule finds %v, want the current alert only", hits)
		}
		// The expiry survives a rebuild of the index.
		if _, err := ix.db.Exec(ctx, `UPDATE search_analyzer SET version = 0`); err != nil {
			t.Fatal(err)
		}
		if _, err := Reindex(ctx, ix.db); err != nil {
			t.Fatal(err)
		}
		if hits := searchKeys(t, ix, tenantID, "canicule"); !slices.Equal(hits, []string{"alert:current"}) {
			t.Errorf("after a rebuild, canicule finds %v", hits)
		}
	})
}

func TestDistance(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"passeport", "passeport", 0},
		{"pasport", "passeport", 2},
		{"inscritpion", "inscription", 1},
		{"ecol", "ecole", 1},
		{"mairie", "marie", 1},
		{"abc", "xyz", 3},
		{"piscine", "cinema", 3}, // beyond the limit: limit+1
	} {
		if got := distance(c.a, c.b, 2); got != min(c.want, 3) {
			t.Errorf("distance(%q, %q) = %d, want %d", c.a, c.b, got, min(c.want, 3))
		}
	}
}

// TestWantedTermKeepsEveryWordGivingATermSought: the shortcut that skips
// stemming words of an excerpt never skips one whose term is sought,
// gives stop words no term, and gives every other word a term that is
// not sought; over the words of the bench's vocabulary and their forms.
func TestWantedTermKeepsEveryWordGivingATermSought(t *testing.T) {
	t.Parallel()
	var words []string
	for _, w := range benchVocabulary {
		words = append(words, w, strings.ToUpper(w), w+"s", fold(w), w+"ment", w+"ées")
	}
	words = append(words, "l", "d", "de", "Le", "été", "Œuvre", "œuvres", "Yeux", "qu", "2026", "7", "à", "PLU")
	for _, sought := range words {
		want := map[string]bool{Term(sought): true}
		if Term(sought) == "" {
			continue
		}
		term := wantedTerm(want)
		for _, w := range words {
			got, full := term(w), Term(w)
			switch {
			case full == "" && got != "":
				t.Errorf("seeking %q: stop word %q given %q", sought, w, got)
			case want[full] && got != full:
				t.Errorf("seeking %q: %q gives %q, shortcut %q", sought, w, full, got)
			case full != "" && !want[full] && want[got]:
				t.Errorf("seeking %q: %q taken for a term sought", sought, w)
			}
		}
	}
}
