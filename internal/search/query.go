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

// maxTerms bounds a query's terms, and so the cost of one search.
const maxTerms = 8

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
	args := []any{q.TenantID}
	var b strings.Builder
	b.WriteString(`SELECT d.doc_key, d.kind, d.title, d.url, d.body, d.published_at, m.score FROM (
		SELECT doc_key, SUM(weight) AS score FROM search_postings WHERE tenant_id = ? AND term IN (`)
	for i, t := range terms {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("?")
		args = append(args, t)
	}
	b.WriteString(`) GROUP BY doc_key HAVING COUNT(*) = ` + strconv.Itoa(len(terms)) + `) m
		JOIN search_docs d ON d.tenant_id = ? AND d.doc_key = m.doc_key`)
	args = append(args, q.TenantID)
	if len(q.Kinds) > 0 {
		b.WriteString(" WHERE d.kind IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(q.Kinds)), ", ") + ")")
		for _, k := range q.Kinds {
			args = append(args, k)
		}
	}
	if c, ok := parseCursor(q.After); ok {
		if len(q.Kinds) > 0 {
			b.WriteString(" AND ")
		} else {
			b.WriteString(" WHERE ")
		}
		b.WriteString(`(m.score < ? OR (m.score = ? AND (d.published_at < ? OR (d.published_at = ? AND d.doc_key > ?))))`)
		args = append(args, c.score, c.score, c.at, c.at, c.key)
	}
	b.WriteString(` ORDER BY m.score DESC, d.published_at DESC, d.doc_key LIMIT ` + strconv.Itoa(q.Limit+1))
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
