package search

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// querier is what Put and Remove write through: the database or a transaction.
type querier interface {
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// maxTerms bounds a query's terms, and maxCandidates the documents one
// search ranks: together they bound the cost of any search.
const (
	maxTerms      = 8
	maxCandidates = 1000
)

// Query is one search.
type Query struct {
	TenantID string
	Text     string
	// Kinds limits the search to some kinds of documents (all when empty).
	Kinds []string
	Limit int
	// After is the cursor of the last hit of the previous page ("" for the first).
	After string
}

// Page is one page of results; Next is the cursor of the following page,
// "" on the last.
type Page struct {
	Hits  []Hit
	Terms []string
	Next  string
}

// Search returns the documents containing every term of q.Text, best
// first: by score (title words weigh more), then newest, then key.
func (ix *Index) Search(ctx context.Context, q Query) (*Page, error) {
	terms := Terms(q.Text)
	if len(terms) > maxTerms {
		terms = terms[:maxTerms]
	}
	page := &Page{Terms: terms}
	if len(terms) == 0 {
		return page, nil
	}
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 20
	}
	driver, err := ix.rarest(ctx, q.TenantID, terms)
	if err != nil {
		return nil, err
	}
	// Candidates: the rarest term's documents, best first, at most
	// maxCandidates; the other terms are then looked up by primary key.
	// Exact whenever the rarest term is in fewer documents than that,
	// and the cost of a search stays bounded when it is not.
	var b strings.Builder
	// Documents dated in the future are scheduled: not found before then.
	args := []any{q.TenantID, terms[driver], ix.Now()}
	b.WriteString(`WITH c AS (SELECT doc_key, weight, published_at FROM search_postings WHERE tenant_id = ? AND term = ?
		AND published_at <= ?`)
	if len(q.Kinds) > 0 {
		b.WriteString(" AND (" + strings.TrimSuffix(strings.Repeat("doc_key LIKE ? OR ", len(q.Kinds)), " OR ") + ")")
		for _, k := range q.Kinds {
			args = append(args, k+":%")
		}
	}
	// Correlated lookups rather than joins: each is one primary-key probe
	// per candidate on both engines, where a join may make PostgreSQL
	// hash a common term's whole posting list.
	b.WriteString(` ORDER BY weight DESC, published_at DESC, doc_key LIMIT ` + strconv.Itoa(maxCandidates) + `),
		x AS (SELECT c.doc_key, c.published_at, c.weight AS w0`)
	score, where := "x.w0", ""
	n := 0
	for i, t := range terms {
		if i == driver {
			continue
		}
		n++
		w := "w" + strconv.Itoa(n)
		b.WriteString(", (SELECT p.weight FROM search_postings p WHERE p.tenant_id = ? AND p.term = ? AND p.doc_key = c.doc_key) AS " + w)
		args = append(args, q.TenantID, t)
		score += " + x." + w
		if where == "" {
			where = " WHERE "
		} else {
			where += " AND "
		}
		where += "x." + w + " IS NOT NULL"
	}
	b.WriteString(` FROM c), y AS (SELECT x.doc_key, x.published_at, ` + score + ` AS score FROM x` + where + `),
		m AS (SELECT doc_key, published_at, score FROM y`)
	// Ranked and cut before the documents' rows are read: only the page's
	// bodies are fetched, for their excerpts.
	if c, ok := parseCursor(q.After); ok {
		b.WriteString(` WHERE (score < ? OR (score = ? AND (published_at < ? OR (published_at = ? AND doc_key > ?))))`)
		args = append(args, c.score, c.score, c.at, c.at, c.key)
	}
	limit := strconv.Itoa(q.Limit + 1)
	b.WriteString(` ORDER BY score DESC, published_at DESC, doc_key LIMIT ` + limit + `)
		SELECT d.doc_key, d.kind, d.title, d.url, d.body, d.published_at, m.score FROM m
		JOIN search_docs d ON d.tenant_id = ? AND d.doc_key = m.doc_key
		ORDER BY m.score DESC, m.published_at DESC, m.doc_key`)
	args = append(args, q.TenantID)
	rows, err := ix.db.Query(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	want := map[string]bool{}
	for _, t := range terms {
		want[t] = true
	}
	var last cursor
	for rows.Next() {
		var h Hit
		var key, body string
		if err := rows.Scan(&key, &h.Kind, &h.Title, &h.URL, &body, &h.PublishedAt, &h.Score); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if len(page.Hits) == q.Limit {
			page.Next = last.String()
			break
		}
		h.ID = strings.TrimPrefix(key, h.Kind+":")
		h.PublishedAt = h.PublishedAt.UTC()
		h.TitleParts = highlight(h.Title, want)
		h.Excerpt = Excerpt(body, want, 30)
		page.Hits = append(page.Hits, h)
		last = cursor{score: h.Score, at: h.PublishedAt, key: key}
	}
	return page, rows.Err()
}

// rarest returns the index of the term found in the fewest documents,
// counting at most maxCandidates+1 postings of each (one query).
func (ix *Index) rarest(ctx context.Context, tenantID string, terms []string) (int, error) {
	var b strings.Builder
	args := make([]any, 0, 2*len(terms))
	for i, t := range terms {
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		b.WriteString(`SELECT ` + strconv.Itoa(i) + ` AS i, COUNT(*) AS n FROM (SELECT 1 AS one FROM search_postings
			WHERE tenant_id = ? AND term = ? LIMIT ` + strconv.Itoa(maxCandidates+1) + `) x` + strconv.Itoa(i))
		args = append(args, tenantID, t)
	}
	rows, err := ix.db.Query(ctx, `SELECT i, n FROM (`+b.String()+`) df ORDER BY n, i LIMIT 1`, args...)
	if err != nil {
		return 0, fmt.Errorf("search: frequencies: %w", err)
	}
	defer rows.Close()
	best := 0
	for rows.Next() {
		if err := rows.Scan(&best, new(int)); err != nil {
			return 0, err
		}
	}
	return best, rows.Err()
}
