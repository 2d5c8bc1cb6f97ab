package search

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

// relevanceDoc is one document of a town hall's site, as written in
// testdata/relevance/corpus.json: published days_ago days before the
// test's clock and, for an alert, ending expires_in_days after it.
type relevanceDoc struct {
	ID            string `json:"id"`
	Kind          string `json:"kind"`
	Title         string `json:"title"`
	Body          string `json:"body"`
	DaysAgo       int    `json:"days_ago"`
	ExpiresInDays *int   `json:"expires_in_days"`
}

// relevanceQuery is a query as residents type it and the documents that
// must come first.
type relevanceQuery struct {
	Q    string   `json:"q"`
	Want []string `json:"want"`
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestRelevanceSet runs the queries of testdata/relevance on a town hall's
// site and fails for each whose wanted documents are not first. The rule:
// the first hit is one of the wanted documents, and every wanted document
// is among the first max(3, len(want)) hits, so that two equally good
// answers may be split by a third relevant one but never pushed off the
// top of the page.
func TestRelevanceSet(t *testing.T) {
	t.Parallel()
	var docs []relevanceDoc
	var queries []relevanceQuery
	readJSON(t, "testdata/relevance/corpus.json", &docs)
	readJSON(t, "testdata/relevance/queries.json", &queries)
	// The set is only worth its share if it is the size it claims.
	kinds := map[string]bool{}
	ids := map[string]bool{}
	for _, d := range docs {
		if ids[d.ID] {
			t.Fatalf("document %s twice", d.ID)
		}
		ids[d.ID] = true
		kinds[d.Kind] = true
	}
	if len(docs) < 80 || len(docs) > 120 || len(kinds) != 7 || len(queries) < 60 {
		t.Fatalf("%d documents of %d kinds, %d queries: want 80 to 120 documents of 7 kinds and 60 queries or more", len(docs), len(kinds), len(queries))
	}
	for _, q := range queries {
		if len(q.Want) == 0 || len(q.Want) > 3 {
			t.Fatalf("%q wants %d documents, want 1 to 3", q.Q, len(q.Want))
		}
		for _, id := range q.Want {
			if !ids[id] {
				t.Fatalf("%q wants %s, which the corpus does not hold", q.Q, id)
			}
		}
	}
	dbtest.Each(t, []db.Migrations{tenant.Migrations, Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		tn, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "vernay", Name: "Vernay-les-Saules", Kind: tenant.KindCommune})
		if err != nil {
			t.Fatal(err)
		}
		ix := New(d)
		ix.Now = dbtest.Clock(t)
		now := ix.Now()
		const day = 24 * time.Hour
		// One transaction: a commit per document makes PostgreSQL slow.
		err = d.InTx(ctx, func(tx *db.Tx) error {
			for _, rd := range docs {
				doc := Doc{TenantID: tn.ID, Kind: rd.Kind, ID: rd.ID, Title: rd.Title, URL: "/" + rd.ID, Body: rd.Body,
					PublishedAt: now.Add(-time.Duration(rd.DaysAgo) * day)}
				if rd.ExpiresInDays != nil {
					doc.ExpiresAt = now.Add(time.Duration(*rd.ExpiresInDays) * day)
				}
				if err := Put(ctx, tx, doc); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		passed := 0
		var failed []string
		for _, q := range queries {
			top := max(3, len(q.Want))
			p, err := ix.Search(ctx, Query{TenantID: tn.ID, Text: q.Q, Limit: top + 2, Boost: relevanceBoost})
			if err != nil {
				t.Fatalf("%q: %v", q.Q, err)
			}
			var got []string
			for _, h := range p.Hits {
				got = append(got, h.ID)
			}
			ok := len(got) > 0 && slices.Contains(q.Want, got[0])
			for _, id := range q.Want {
				ok = ok && slices.Contains(got[:min(top, len(got))], id)
			}
			why, known := knownMisses[q.Q]
			switch {
			case ok && known:
				t.Errorf("%q now finds its documents: take it out of knownMisses", q.Q)
			case ok:
				passed++
			case known:
				t.Logf("known miss %q (%s): want %v first, got %v", q.Q, why, q.Want, got)
			default:
				failed = append(failed, fmt.Sprintf("%q: want %v first, got %v", q.Q, q.Want, got))
			}
		}
		t.Logf("relevance: %d of %d queries", passed, len(queries))
		if len(failed) > 0 {
			t.Errorf("%d queries miss their documents:\n%s", len(failed), strings.Join(failed, "\n"))
		}
	})
}

// knownMisses are the queries the search still ranks wrong, each with its
// cause: they are reported, not hidden, and the test fails when one of
// them starts passing so that the list only shrinks.
var knownMisses = map[string]string{
	"declaration de naissance":                "words side by side get no bonus unless quoted",
	"je voudrais inscrire mon fils à l'école": "the stemmer keeps « inscrire » and « inscription » apart",
	"comment refaire ma carte d'identité":     "the question on a lost card ranks fourth, behind two kinds of appointment",
	"tarif cantine":                           "a procedure holding both words ranks above the news on prices",
	"aide pour payer facture electricite":     "a question holding « payer » and « facture » in its title ranks above the aid",
}

// relevanceBoost is what the capabilities register (search.Kind.Boost in
// procedure, appointment and pagesweb):
// services first, then practical pages, among documents holding as many
// words.
var relevanceBoost = map[string]int{"procedure": 170, "appointment": 170, "page": 130}
