package search

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

// TestBatchIndexesAsPut indexes the corpus twice, once with Put and once
// as a batch under other keys, and compares every row of the index: a
// batch must be found by the same searches, with the same ranks.
func TestBatchIndexesAsPut(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{tenant.Migrations, Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		tn, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "lot", Name: "Commune du lot", Kind: tenant.KindCommune})
		if err != nil {
			t.Fatal(err)
		}
		base := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		var batch []Doc
		for i, doc := range corpus {
			doc.TenantID, doc.URL, doc.PublishedAt = tn.ID, "/"+doc.ID, base.Add(time.Duration(i)*time.Hour)
			if err := Put(ctx, d, doc); err != nil {
				t.Fatal(err)
			}
			doc.Kind = "batch-" + doc.Kind
			batch = append(batch, doc)
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return NewBatch(batch).Write(ctx, tx) }); err != nil {
			t.Fatal(err)
		}
		put, added := indexRows(t, d, "news:%", "event:%", "page:%", "question:%"), indexRows(t, d, "batch-%")
		if len(put) < 50 || !slices.Equal(put, added) {
			t.Errorf("Put wrote %d rows, the batch %d:\n%v\n%v", len(put), len(added), put, added)
		}
	})
}

// indexRows returns the postings and documents whose key is like one of
// patterns, without the kind's prefix of the key.
func indexRows(t *testing.T, d *db.DB, patterns ...string) []string {
	t.Helper()
	var out []string
	for _, p := range patterns {
		rows, err := d.Query(context.Background(), `SELECT doc_key, term, weight, published_at FROM search_postings WHERE doc_key LIKE ?
			UNION ALL SELECT doc_key, title || ' ' || url || ' ' || body, 0, published_at FROM search_docs WHERE doc_key LIKE ?`, p, p)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var key, term string
			var weight int
			var at time.Time
			if err := rows.Scan(&key, &term, &weight, &at); err != nil {
				t.Fatal(err)
			}
			_, id, _ := strings.Cut(key, ":")
			out = append(out, id+" "+term+" "+strconv.Itoa(weight)+" "+at.UTC().Format(time.RFC3339))
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(out)
	return out
}
