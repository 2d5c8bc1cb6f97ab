package procedure

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"guichet"
)

// Reply templates ("réponses types") save agents from typing the same
// message again.

// CannedReply is a message agents insert in one click.
type CannedReply struct {
	ID, Title, Body string
}

// CannedReplies lists a collectivité's replies by title.
func (s *Store) CannedReplies(ctx context.Context, tenantID string) ([]CannedReply, error) {
	rows, err := s.db.Query(ctx, `SELECT id, title, body FROM canned_replies WHERE tenant_id = ? ORDER BY title`, tenantID)
	if err != nil {
		return nil, wrap("replies", err)
	}
	defer rows.Close()
	var out []CannedReply
	for rows.Next() {
		var r CannedReply
		if err := rows.Scan(&r.ID, &r.Title, &r.Body); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CannedReply returns one reply.
func (s *Store) CannedReply(ctx context.Context, tenantID, id string) (*CannedReply, error) {
	r := &CannedReply{}
	err := s.db.QueryRow(ctx, `SELECT id, title, body FROM canned_replies WHERE tenant_id = ? AND id = ?`, tenantID, id).
		Scan(&r.ID, &r.Title, &r.Body)
	return r, notFound(err)
}

// AddCannedReply stores a reply.
func (s *Store) AddCannedReply(ctx context.Context, tenantID, title, body string) error {
	title, body = strings.TrimSpace(title), strings.TrimSpace(body)
	errs := map[string]string{}
	if title == "" || len(title) > 120 {
		errs["title"] = "Donnez un titre de 1 à 120 caractères."
	}
	if body == "" || len(body) > 5000 {
		errs["body"] = "Écrivez un texte de 1 à 5000 caractères."
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	_, err := s.db.Exec(ctx, `INSERT INTO canned_replies (id, tenant_id, title, body, created_at) VALUES (?, ?, ?, ?, ?)`,
		uuid.NewString(), tenantID, title, body, s.now())
	return wrap("add reply", err)
}

// DeleteCannedReply removes a reply.
func (s *Store) DeleteCannedReply(ctx context.Context, tenantID, id string) error {
	_, err := s.db.Exec(ctx, `DELETE FROM canned_replies WHERE tenant_id = ? AND id = ?`, tenantID, id)
	return wrap("delete reply", err)
}
