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
const AnalyzerVersion = 3

// Reindex rebuilds the postings of every collectivité's documents when the
// index was written by another version of the analyzer, one collectivité a
// transaction, and returns how many documents it rebuilt. Kinds listed
// whole (Kind.Docs) are read again from their capability, and filled when
// first seen, so that installing one makes its catalogue searchable.
func Reindex(ctx context.Context, d *db.DB, kinds ...Kind) (int, error) {
	var v int
	err := d.QueryRow(ctx, `SELECT version FROM search_analyzer`).Scan(&v)
	switch {
	case err == nil && v == AnalyzerVersion:
		return fillNewKinds(ctx, d, kinds)
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return 0, fmt.Errorf("search: analyzer version: %w", err)
	}
	whole := map[string]bool{}
	for _, k := range kinds {
		if k.Docs != nil {
			whole[k.Name] = true
		}
	}
	var tenants []string
	if err := db.Each(ctx, d, `SELECT id FROM tenants ORDER BY id`, func(r db.Row) error {
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
			err := db.Each(ctx, tx, `SELECT doc_key, kind, title, url, body, published_at, expires_at FROM search_docs WHERE tenant_id = ?`,
				func(r db.Row) error {
					var key string
					var at time.Time
					var until sql.NullTime
					doc := Doc{TenantID: tenantID}
					if err := r.Scan(&key, &doc.Kind, &doc.Title, &doc.URL, &doc.Body, &at, &until); err != nil {
						return err
					}
					doc.ID, doc.PublishedAt = strings.TrimPrefix(key, doc.Kind+":"), at.UTC()
					if until.Valid && !until.Time.Equal(never) {
						doc.ExpiresAt = until.Time.UTC()
					}
					if !whole[doc.Kind] {
						docs = append(docs, doc)
					}
					return nil
				}, tenantID)
			if err != nil {
				return err
			}
			for _, table := range []string{"search_postings", "search_docs", "search_words"} {
				if _, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE tenant_id = ?`, tenantID); err != nil {
					return err
				}
			}
			for _, k := range kinds {
				if k.Docs == nil {
					continue
				}
				listed, err := k.Docs(ctx, tenantID)
				if err != nil {
					return err
				}
				docs = append(docs, listed...)
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
		if _, err := tx.Exec(ctx, `INSERT INTO search_analyzer (version) VALUES (?)`, AnalyzerVersion); err != nil {
			return err
		}
		return markFilled(ctx, tx, kinds)
	})
	return n, err
}

// fillNewKinds indexes the kinds listed whole that the index has never
// held: a capability installed on a running site.
func fillNewKinds(ctx context.Context, d *db.DB, kinds []Kind) (int, error) {
	filled := map[string]bool{}
	if err := db.Each(ctx, d, `SELECT kind FROM search_kinds`, func(r db.Row) error {
		var k string
		err := r.Scan(&k)
		filled[k] = true
		return err
	}); err != nil {
		return 0, fmt.Errorf("search: kinds: %w", err)
	}
	var fresh []Kind
	for _, k := range kinds {
		if k.Docs != nil && !filled[k.Name] {
			fresh = append(fresh, k)
		}
	}
	if len(fresh) == 0 {
		return 0, nil
	}
	var tenants []string
	if err := db.Each(ctx, d, `SELECT id FROM tenants ORDER BY id`, func(r db.Row) error {
		var id string
		err := r.Scan(&id)
		tenants = append(tenants, id)
		return err
	}); err != nil {
		return 0, fmt.Errorf("search: kinds: %w", err)
	}
	n := 0
	for _, k := range fresh {
		for _, tenantID := range tenants {
			docs, err := k.Docs(ctx, tenantID)
			if err != nil {
				return n, fmt.Errorf("search: %s documents: %w", k.Name, err)
			}
			if err := d.InTx(ctx, func(tx *db.Tx) error { return replaceKind(ctx, tx, tenantID, k.Name, docs) }); err != nil {
				return n, err
			}
			n += len(docs)
		}
	}
	return n, d.InTx(ctx, func(tx *db.Tx) error { return markFilled(ctx, tx, fresh) })
}

func markFilled(ctx context.Context, tx *db.Tx, kinds []Kind) error {
	var rows []any
	for _, k := range kinds {
		if k.Docs != nil {
			rows = append(rows, k.Name)
		}
	}
	return db.InsertNew(ctx, tx, "search_kinds", []string{"kind"}, rows)
}
