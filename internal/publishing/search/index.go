package search

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"guichet/internal/kernel/db"

	"golang.org/x/text/unicode/norm"
)

// Weights of a term's occurrences: a word of the title counts as much as
// several of the body, and repetition stops paying after a few.
const (
	titleWeight = 8
	titleCap    = 2
	bodyCap     = 5
	// maxBody bounds the stored text used for excerpts and postings.
	maxBody = 20000
)

// Put indexes d, replacing its previous version, on q (the database or a
// transaction, so that content and index change together).
func Put(ctx context.Context, q querier, d Doc) error {
	if len(d.Body) > maxBody {
		d.Body = d.Body[:maxBody]
	}
	if err := Remove(ctx, q, d.TenantID, d.Kind, d.ID); err != nil {
		return err
	}
	key := d.Key()
	if _, err := q.Exec(ctx, `INSERT INTO search_docs (tenant_id, doc_key, kind, title, url, body, published_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, d.TenantID, key, d.Kind, d.Title, d.URL, d.Body, d.PublishedAt.UTC(), d.expiry()); err != nil {
		return fmt.Errorf("search: put %s: %w", key, err)
	}
	weights := weigh(d.Title, d.Body, Term)
	terms := make([]string, 0, len(weights))
	for t := range weights {
		terms = append(terms, t)
	}
	sort.Strings(terms)
	// Several rows per statement: a long page has hundreds of terms.
	const batch = 100
	for i := 0; i < len(terms); i += batch {
		chunk := terms[i:min(i+batch, len(terms))]
		sql := "INSERT INTO search_postings (tenant_id, term, doc_key, weight, published_at, expires_at) VALUES "
		args := make([]any, 0, 6*len(chunk))
		at, until := d.PublishedAt.UTC(), d.expiry()
		for j, t := range chunk {
			if j > 0 {
				sql += ", "
			}
			sql += "(?, ?, ?, ?, ?, ?)"
			args = append(args, d.TenantID, t, key, weights[t], at, until)
		}
		if _, err := q.Exec(ctx, sql, args...); err != nil {
			return fmt.Errorf("search: postings of %s: %w", key, err)
		}
	}
	var words []any
	for _, w := range sortedWords(vocabulary(d.Title, d.Body, Term)) {
		words = append(words, d.TenantID, w.word, w.term, w.spelling)
	}
	if err := db.InsertNew(ctx, q, "search_words", wordColumns, words); err != nil {
		return fmt.Errorf("search: words of %s: %w", key, err)
	}
	return nil
}

// word is one word of the vocabulary: accent-folded and lower case, its
// term, and its spelling with accents.
type word struct{ word, term, spelling string }

var wordColumns = []string{"tenant_id", "word", "term", "spelling"}

// vocabulary returns the words of a document worth completing or
// correcting to: not stop words, not numbers, not too short or long.
func vocabulary(title, body string, term func(string) string) map[string]word {
	out := map[string]word{}
	for _, s := range []string{title, body} {
		for _, t := range tokensWith(s, term) {
			spelling := strings.ToLower(norm.NFC.String(s[t.start:t.end]))
			w := fold(spelling)
			if _, seen := out[w]; seen || t.term == "" || isDigits(w) || len(w) < 3 || len(w) > 40 {
				continue
			}
			out[w] = word{w, t.term, spelling}
		}
	}
	return out
}

func sortedWords(m map[string]word) []word {
	out := make([]word, 0, len(m))
	for _, w := range m {
		out = append(out, w)
	}
	slices.SortFunc(out, func(a, b word) int { return strings.Compare(a.word, b.word) })
	return out
}

// Remove takes a document out of the index; removing one that is not
// there is not an error.
func Remove(ctx context.Context, q querier, tenantID, kind, id string) error {
	key := kind + ":" + id
	if _, err := q.Exec(ctx, `DELETE FROM search_postings WHERE tenant_id = ? AND doc_key = ?`, tenantID, key); err != nil {
		return fmt.Errorf("search: remove %s: %w", key, err)
	}
	if _, err := q.Exec(ctx, `DELETE FROM search_docs WHERE tenant_id = ? AND doc_key = ?`, tenantID, key); err != nil {
		return fmt.Errorf("search: remove %s: %w", key, err)
	}
	return nil
}

// weigh returns each term's weight in a document, term giving the term
// of each word.
func weigh(title, body string, term func(string) string) map[string]int {
	inTitle, inBody := map[string]int{}, map[string]int{}
	for _, t := range tokensWith(title, term) {
		if t.term != "" {
			inTitle[t.term]++
		}
	}
	for _, t := range tokensWith(body, term) {
		if t.term != "" {
			inBody[t.term]++
		}
	}
	w := map[string]int{}
	for t, n := range inTitle {
		w[t] += titleWeight * min(n, titleCap)
	}
	for t, n := range inBody {
		w[t] += min(n, bodyCap)
	}
	return w
}
