package content

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

// record writes a revision: the item as saved, for the history. Its id is
// a UUIDv7, ordered by time within a process, so that two revisions of the
// same second still list in the order they were made.
func record(ctx context.Context, tx *db.Tx, at time.Time, tenantID, itemID, kind, author, action, title string, snapshot any) error {
	body, err := json.Marshal(snapshot)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO content_revisions (id, tenant_id, item_id, kind, author, action, title, body, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, uuid.Must(uuid.NewV7()).String(), tenantID, itemID, kind, author, action, title, string(body),
		at)
	return err
}

const revisionColumns = `id, kind, author, action, title, body, created_at`

func scanRevision(row interface{ Scan(...any) error }) (*Revision, error) {
	var r Revision
	err := row.Scan(&r.ID, &r.Kind, &r.Author, &r.Action, &r.Title, &r.Body, &r.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("content: revision: %w", err)
	}
	return &r, nil
}

// Revisions returns an item's history, newest first (at most 100).
func (s *Store) Revisions(ctx context.Context, tenantID, itemID string) ([]Revision, error) {
	rows, err := s.db.Query(ctx, `SELECT `+revisionColumns+` FROM content_revisions
		WHERE tenant_id = ? AND item_id = ? ORDER BY created_at DESC, id DESC LIMIT 100`, tenantID, itemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// Revision returns one revision of an item of kind; a revision of another
// item, kind or collectivité is not found.
func (s *Store) Revision(ctx context.Context, tenantID, kind, itemID, id string) (*Revision, error) {
	return scanRevision(s.db.QueryRow(ctx, `SELECT `+revisionColumns+` FROM content_revisions
		WHERE tenant_id = ? AND item_id = ? AND kind = ? AND id = ?`, tenantID, itemID, kind, id))
}

// decode reads the saved item of a revision of kind into v.
func (r *Revision) decode(kind string, v any) error {
	if r.Kind != kind {
		return ErrNotFound
	}
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		return guichet.Errorf(guichet.EInvalid, "Cette version est illisible.")
	}
	return nil
}

// News returns the news item as this revision saved it.
func (r *Revision) News() (*News, error) {
	var n News
	return &n, r.decode(KindNews, &n)
}

// Event returns the event as this revision saved it.
func (r *Revision) Event() (*Event, error) {
	var e Event
	return &e, r.decode(KindEvent, &e)
}

// Page returns the page as this revision saved it.
func (r *Revision) Page() (*Page, error) {
	var p Page
	return &p, r.decode(KindPage, &p)
}

// RestoreNews brings back what the editor's form held in a revision of a
// news item and saves it as a new revision. The item stays as published as
// it is now: restoring publishes nothing by itself.
func (s *Store) RestoreNews(ctx context.Context, tenantID, id, revisionID, author string) (*News, error) {
	rev, err := s.Revision(ctx, tenantID, KindNews, id, revisionID)
	if err != nil {
		return nil, err
	}
	old, err := rev.News()
	if err != nil {
		return nil, err
	}
	n, err := s.NewsByID(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	n.Title, n.Category, n.Summary, n.Body, n.EasyRead = old.Title, old.Category, old.Summary, old.Body, old.EasyRead
	n.TitleEN, n.BodyEN, n.ImageID, n.ImageAlt = old.TitleEN, old.BodyEN, old.ImageID, old.ImageAlt
	return n, s.SaveNews(ctx, n, author, ActionRestored)
}

// RestoreEvent brings back the texts, place, dates and registration
// settings of a revision of an event. Its publication and cancellation
// stay as they are now.
func (s *Store) RestoreEvent(ctx context.Context, tenantID, id, revisionID string, loc *time.Location, author string) (*Event, error) {
	rev, err := s.Revision(ctx, tenantID, KindEvent, id, revisionID)
	if err != nil {
		return nil, err
	}
	old, err := rev.Event()
	if err != nil {
		return nil, err
	}
	e, err := s.EventByID(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	e.Title, e.Category, e.Summary, e.Body, e.TitleEN, e.BodyEN = old.Title, old.Category, old.Summary, old.Body, old.TitleEN, old.BodyEN
	e.Place, e.Address, e.Start, e.End, e.AllDay = old.Place, old.Address, old.Start, old.End, old.AllDay
	e.Recurrence, e.RecurrenceUntil, e.Registration, e.Capacity = old.Recurrence, old.RecurrenceUntil, old.Registration, old.Capacity
	return e, s.SaveEvent(ctx, e, loc, author, ActionRestored)
}

// RestorePage brings back the texts and menu position of a revision of a
// page; its publication stays as it is now.
func (s *Store) RestorePage(ctx context.Context, tenantID, id, revisionID, author string) (*Page, error) {
	rev, err := s.Revision(ctx, tenantID, KindPage, id, revisionID)
	if err != nil {
		return nil, err
	}
	old, err := rev.Page()
	if err != nil {
		return nil, err
	}
	p, err := s.PageByID(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	p.Title, p.Summary, p.Body, p.TitleEN, p.BodyEN, p.MenuOrder = old.Title, old.Summary, old.Body, old.TitleEN, old.BodyEN, old.MenuOrder
	return p, s.SavePage(ctx, p, author, ActionRestored)
}
