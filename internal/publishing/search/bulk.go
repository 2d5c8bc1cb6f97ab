package search

import (
	"cmp"
	"context"
	"slices"

	"guichet/internal/kernel/db"
)

// Batch is new documents ready to be added to the index: their rows are
// built (and their words stemmed) before the transaction that writes them,
// so that a writer can prepare the next batch while one is written.
type Batch struct {
	docs, postings, words []any
}

// NewBatch prepares documents that are not in the index yet. Put replaces
// one document; a batch fills the index with thousands of them.
func NewBatch(docs []Doc) *Batch {
	type posting struct {
		tenantID, term, key string
		weight              int
		row                 *[4]any // the document's tenant, key and dates, boxed once
	}
	// Words repeat from one document to the next: each is stemmed once.
	memo := map[string]string{}
	term := func(word string) string {
		t, ok := memo[word]
		if !ok {
			t = Term(word)
			memo[word] = t
		}
		return t
	}
	b := &Batch{docs: make([]any, 0, 8*len(docs))}
	var postings []posting
	words := map[[2]string]word{}
	for _, d := range docs {
		if len(d.Body) > maxBody {
			d.Body = d.Body[:maxBody]
		}
		key := d.Key()
		row := &[4]any{d.TenantID, key, d.PublishedAt.UTC(), d.expiry()}
		b.docs = append(b.docs, row[0], row[1], d.Kind, d.Title, d.URL, d.Body, row[2], row[3])
		for t, w := range weigh(d.Title, d.Body, term) {
			postings = append(postings, posting{d.TenantID, t, key, w, row})
		}
		for w, v := range vocabulary(d.Title, d.Body, term) {
			if _, seen := words[[2]string{d.TenantID, w}]; !seen {
				words[[2]string{d.TenantID, w}] = v
			}
		}
	}
	keys := make([][2]string, 0, len(words))
	for k := range words {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]string) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	for _, k := range keys {
		b.words = append(b.words, k[0], k[1], words[k].term, words[k].spelling)
	}
	// In key order, the rows of a term land side by side in the indexes.
	slices.SortFunc(postings, func(a, b posting) int {
		return cmp.Or(cmp.Compare(a.tenantID, b.tenantID), cmp.Compare(a.term, b.term), cmp.Compare(a.key, b.key))
	})
	terms := map[string]any{}
	b.postings = make([]any, 0, 6*len(postings))
	for _, p := range postings {
		t, ok := terms[p.term]
		if !ok {
			t = p.term
			terms[p.term] = t
		}
		b.postings = append(b.postings, p.row[0], t, p.row[1], p.weight, p.row[2], p.row[3])
	}
	return b
}

// Write adds the batch's documents to the index on q, many rows per
// statement.
func (b *Batch) Write(ctx context.Context, q querier) error {
	if err := db.InsertMany(ctx, q, "search_docs",
		[]string{"tenant_id", "doc_key", "kind", "title", "url", "body", "published_at", "expires_at"}, b.docs); err != nil {
		return err
	}
	if err := db.InsertMany(ctx, q, "search_postings",
		[]string{"tenant_id", "term", "doc_key", "weight", "published_at", "expires_at"}, b.postings); err != nil {
		return err
	}
	return db.InsertNew(ctx, q, "search_words", wordColumns, b.words)
}
