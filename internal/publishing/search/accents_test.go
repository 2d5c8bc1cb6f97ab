package search

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// accentedTexts are sentences a collectivité publishes, dense in accents,
// cedillas and ligatures, added to the corpus for the accent property.
var accentedTexts = []string{
	"La route départementale est fermée ; les rues fermées rouvrent après les congés d'été.",
	"Élections : le bureau de vote de l'école élémentaire déménage à la salle polyvalente.",
	"Pièces d'identité : prenez rendez-vous, la mairie délivre cartes et passeports.",
	"Crèche et périscolaire : les activités reprennent, les goûters sont préparés sur place.",
	"Cœur de bourg : réunion publique sur l'aménagement, les commerçants sont invités.",
	"Déchèterie : les déchets verts, gravats et encombrants sont acceptés le samedi.",
	"Fête de la musique : scène ouverte, buvette et feu d'artifice près de l'église.",
	"Sécheresse : arrêté préfectoral, l'arrosage des pelouses est interdit jusqu'à nouvel ordre.",
}

// TestAccentsAndCaseDoNotChangeResults: for every word of the corpus, the
// query as written, without its accents, and in capitals, find the same
// documents in the same order, on both databases. Residents on phones
// often type without accents.
func TestAccentsAndCaseDoNotChangeResults(t *testing.T) {
	t.Parallel()
	withCorpus(t, func(t *testing.T, ix *Index, tenantID string) {
		ctx := context.Background()
		words := map[string]bool{}
		texts := slices.Clone(accentedTexts)
		for _, d := range corpus {
			texts = append(texts, d.Title, d.Body)
		}
		for i, text := range accentedTexts {
			if err := Put(ctx, ix.db, Doc{TenantID: tenantID, Kind: "page", ID: "accents-" + string(rune('a'+i)), Title: "Avis",
				URL: "/avis", Body: text, PublishedAt: ix.Now().AddDate(0, 0, -1)}); err != nil {
				t.Fatal(err)
			}
		}
		// And a generated corpus, drawn from the benchmark's vocabulary.
		r := rand.New(rand.NewPCG(3, 4))
		z := rand.NewZipf(r, 1.1, 4, uint64(len(benchVocabulary)-1))
		for i := range 40 {
			d := benchDoc(r, z, 100+i, tenantID)
			d.PublishedAt = ix.Now().AddDate(0, 0, -2)
			if err := Put(ctx, ix.db, d); err != nil {
				t.Fatal(err)
			}
		}
		texts = append(texts, benchVocabulary...)
		for _, text := range texts {
			for _, tok := range tokens(text) {
				words[text[tok.start:tok.end]] = true
			}
		}
		if len(words) < 150 {
			t.Fatalf("%d words in the corpus: the property is hardly tried", len(words))
		}
		found := func(q string) []string {
			p, err := ix.Search(ctx, Query{TenantID: tenantID, Text: q, Limit: 50})
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			var keys []string
			for _, h := range p.Hits {
				keys = append(keys, h.Kind+":"+h.ID)
			}
			return keys
		}
		withResults := 0
		for w := range words {
			want := found(w)
			if len(want) > 0 {
				withResults++
			}
			for _, form := range []string{fold(w), strings.ToUpper(w), strings.ToUpper(fold(w))} {
				if got := found(form); !slices.Equal(got, want) {
					t.Errorf("%q finds %v, %q finds %v", w, want, form, got)
				}
			}
		}
		if withResults < len(words)/2 {
			t.Errorf("only %d of %d words find anything: the property is hardly tried", withResults, len(words))
		}
	})
}

// TestReindexRebuildsAnIndexOfAnotherAnalyzer: postings written by an
// earlier analyzer are rebuilt at start from the documents, once; an index
// of this version is left alone.
func TestReindexRebuildsAnIndexOfAnotherAnalyzer(t *testing.T) {
	t.Parallel()
	withCorpus(t, func(t *testing.T, ix *Index, tenantID string) {
		ctx := context.Background()
		d := ix.db
		if n, err := Reindex(ctx, d); err != nil || n != len(corpus) {
			t.Fatalf("first start: %d documents rebuilt, %v; want %d", n, err, len(corpus))
		}
		if n, err := Reindex(ctx, d); err != nil || n != 0 {
			t.Fatalf("second start: %d documents rebuilt, %v; want none", n, err)
		}
		// An index of an older analyzer: other terms.
		for _, q := range []string{`UPDATE search_postings SET term = 'ancien-' || term`, `UPDATE search_analyzer SET version = 1`} {
			if _, err := d.Exec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if hits := searchKeys(t, ix, tenantID, "fermee"); len(hits) != 0 {
			t.Fatalf("the old postings answer: %v", hits)
		}
		if n, err := Reindex(ctx, d); err != nil || n != len(corpus) {
			t.Fatalf("after an analyzer change: %d documents rebuilt, %v; want %d", n, err, len(corpus))
		}
		if hits := searchKeys(t, ix, tenantID, "fermee"); !slices.Equal(hits, []string{"news:travaux"}) {
			t.Errorf("after the rebuild, fermee finds %v", hits)
		}
		var old int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM search_postings WHERE term LIKE 'ancien-%'`).Scan(&old); err != nil || old != 0 {
			t.Errorf("%d old postings left, %v", old, err)
		}
		var docs int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM search_docs WHERE tenant_id = ?`, tenantID).Scan(&docs); err != nil || docs != len(corpus) {
			t.Errorf("%d documents after the rebuild, %v; want %d", docs, err, len(corpus))
		}
	})
}

func searchKeys(t *testing.T, ix *Index, tenantID, q string) []string {
	t.Helper()
	p, err := ix.Search(context.Background(), Query{TenantID: tenantID, Text: q})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, h := range p.Hits {
		keys = append(keys, h.Kind+":"+h.ID)
	}
	return keys
}
