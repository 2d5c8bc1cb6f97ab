package publishing

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
)

// ActionRestored names a revision that brought back an earlier one.
const ActionRestored = "restored"

// Revision is one saved version of an item: Body is the item as saved, in
// JSON.
type Revision struct {
	ID, Kind, Author, Action, Title, Body string
	CreatedAt                             time.Time
}

// History keeps the revisions of a capability's items in the capability's
// own table, which has the columns id, tenant_id, item_id, kind, author,
// action, title, body and created_at.
type History struct {
	Table string
	// NotFound is returned for a revision missing from the collectivité,
	// or of another item or kind.
	NotFound error
}

// Record writes a revision in tx, the transaction that saves the item:
// snapshot is the item as saved. Its id is a UUIDv7, ordered by time
// within a process, so that two revisions of the same second still list
// in the order they were made.
func (h History) Record(ctx context.Context, tx *db.Tx, at time.Time, tenantID, itemID, kind, author, action, title string, snapshot any) error {
	body, err := json.Marshal(snapshot)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO `+h.Table+` (id, tenant_id, item_id, kind, author, action, title, body, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, uuid.Must(uuid.NewV7()).String(), tenantID, itemID, kind, author, action, title, string(body),
		at)
	return err
}

const revisionColumns = `id, kind, author, action, title, body, created_at`

func (h History) scan(row interface{ Scan(...any) error }) (*Revision, error) {
	var r Revision
	err := row.Scan(&r.ID, &r.Kind, &r.Author, &r.Action, &r.Title, &r.Body, &r.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, h.NotFound
	}
	if err != nil {
		return nil, fmt.Errorf("publishing: revision: %w", err)
	}
	return &r, nil
}

// List returns an item's history, newest first (at most 100).
func (h History) List(ctx context.Context, q db.Querier, tenantID, itemID string) ([]Revision, error) {
	rows, err := q.Query(ctx, `SELECT `+revisionColumns+` FROM `+h.Table+`
		WHERE tenant_id = ? AND item_id = ? ORDER BY created_at DESC, id DESC LIMIT 100`, tenantID, itemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		r, err := h.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// Get returns one revision of an item of kind; a revision of another
// item, kind or collectivité is not found.
func (h History) Get(ctx context.Context, q db.Querier, tenantID, kind, itemID, id string) (*Revision, error) {
	return h.scan(q.QueryRow(ctx, `SELECT `+revisionColumns+` FROM `+h.Table+`
		WHERE tenant_id = ? AND item_id = ? AND kind = ? AND id = ?`, tenantID, itemID, kind, id))
}

// Decode reads the item r saved into v, which must be of kind.
func (h History) Decode(r *Revision, kind string, v any) error {
	if r.Kind != kind {
		return h.NotFound
	}
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		return guichet.Errorf(guichet.EInvalid, "Cette version est illisible.")
	}
	return nil
}
