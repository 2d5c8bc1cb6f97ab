package content

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"guichet/internal/db"
	"guichet/internal/search"
)

// Category is one value of a fixed list; its label is the message
// "content.cat.<Value>" of the web layer.
type Category struct{ Value string }

// NewsCategories and EventCategories are the categories editors choose from.
var (
	NewsCategories  = []string{"vie-municipale", "travaux", "culture", "education", "solidarite", "environnement", "sport"}
	EventCategories = []string{"culture", "sport", "vie-municipale", "famille", "marche", "solidarite"}
)

// Revision is one saved version of an item.
type Revision struct {
	ID, Author, Action, Title, Body string
	CreatedAt                       time.Time
}

// record writes a revision: the item as saved, for the history.
func record(ctx context.Context, tx *db.Tx, tenantID, itemID, kind, author, action, title string, snapshot any) error {
	body, err := json.Marshal(snapshot)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO content_revisions (id, tenant_id, item_id, kind, author, action, title, body, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, uuid.NewString(), tenantID, itemID, kind, author, action, title, string(body),
		time.Now().UTC())
	return err
}

// Revisions returns an item's history, newest first (at most 100).
func (s *Store) Revisions(ctx context.Context, tenantID, itemID string) ([]Revision, error) {
	rows, err := s.db.Query(ctx, `SELECT id, author, action, title, body, created_at FROM content_revisions
		WHERE tenant_id = ? AND item_id = ? ORDER BY created_at DESC, id DESC LIMIT 100`, tenantID, itemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		var r Revision
		if err := rows.Scan(&r.ID, &r.Author, &r.Action, &r.Title, &r.Body, &r.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// index puts a published item in the search index, or takes it out.
func index(ctx context.Context, tx *db.Tx, public bool, d search.Doc) error {
	if !public {
		return search.Remove(ctx, tx, d.TenantID, d.Kind, d.ID)
	}
	return search.Put(ctx, tx, d)
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

func fromNull(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}

// insertWithSlug runs insert, retrying with a suffixed slug when the slug
// is taken in the collectivité.
func insertWithSlug(ctx context.Context, d *db.DB, slug *string, insert func(tx *db.Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := d.InTx(ctx, insert)
		if err == nil || !db.IsUniqueViolation(err) || attempt == 3 {
			if err != nil {
				return fmt.Errorf("content: save: %w", err)
			}
			return nil
		}
		*slug = trimSlug(*slug) + uniqueSuffix()
	}
}

func trimSlug(s string) string {
	if len(s) > 70 {
		return s[:70]
	}
	return s
}
