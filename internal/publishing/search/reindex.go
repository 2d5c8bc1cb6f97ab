package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"guichet/internal/kernel/db"
)

// AnalyzerVersion names the rules of Term. Change it with them: the
// postings of every document are then rebuilt at the next start.
const AnalyzerVersion = 2

// Reindex rebuilds the postings of every collectivité's documents when the
// index was written by another version of the analyzer, one collectivité a
// transaction, and returns how many documents it rebuilt.
func Reindex(ctx context.Context, d *db.DB) (int, error) {
	var v int
	err := d.QueryRow(ctx, `SELECT version FROM search_analyzer`).Scan(&v)
	switch {
	case err == nil && v == AnalyzerVersion:
		return 0, nil
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return 0, fmt.Errorf("search: analyzer version: %w", err)
	}
	var tenants []string
	if err := db.Each(ctx, d, `SELECT DISTINCT tenant_id FROM search_docs ORDER BY tenant_id`, func(r db.Row) error {
		var id string
		err := r.Scan(&id)
		tenants = append(tenants, id)
		return err
	}); err != nil {
		return 0, fmt.Errorf("search: reindex: %w", err)
	}
	n := 0
	for _, tenantID := range tenants {
		err := d.InTx(ctx, func(tx *db.Tx) error {
			var docs []Doc
			err := db.Each(ctx, tx, `SELECT doc_key, kind, title, url, body, published_at FROM search_docs WHERE tenant_id = ?`,
				func(r db.Row) error {
					var key string
					var at time.Time
					doc := Doc{TenantID: tenantID}
					if err := r.Scan(&key, &doc.Kind, &doc.Title, &doc.URL, &doc.Body, &at); err != nil {
						return err
					}
					doc.ID, doc.PublishedAt = strings.TrimPrefix(key, doc.Kind+":"), at.UTC()
					docs = append(docs, doc)
					return nil
				}, tenantID)
			if err != nil {
				return err
			}
			for _, table := range []string{"search_postings", "search_docs"} {
				if _, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE tenant_id = ?`, tenantID); err != nil {
					return err
				}
			}
			n += len(docs)
			return NewBatch(docs).Write(ctx, tx)
		})
		if err != nil {
			return n, fmt.Errorf("search: reindex %s: %w", tenantID, err)
		}
	}
	err = d.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM search_analyzer`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO search_analyzer (version) VALUES (?)`, AnalyzerVersion)
		return err
	})
	return n, err
}
