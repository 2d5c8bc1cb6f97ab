package newsletter

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/publishing"
)

// List is what people subscribe to: a topic, a neighbourhood or a
// community. A list that is not public is only filled by the mairie
// (imports), and not offered on the subscription form.
type List struct {
	ID, TenantID, Name, Description, Kind string
	Public                                bool
	Position                              int
	// Subscribers counts its active subscribers (Lists only).
	Subscribers int
}

func (l *List) validate() error {
	errs := map[string]string{}
	l.Name, l.Description = strings.TrimSpace(l.Name), strings.TrimSpace(l.Description)
	publishing.CheckText(errs, "name", l.Name, 1, 80, "Indiquez le nom de la liste.", "Le nom dépasse 80 caractères.")
	publishing.CheckText(errs, "description", l.Description, 0, 300, "", "La description dépasse 300 caractères.")
	if !slices.Contains(ListKinds, l.Kind) {
		errs["kind"] = "Choisissez le genre de la liste."
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

// SaveList creates (empty ID) or updates a list.
func (s *Store) SaveList(ctx context.Context, l *List) error {
	if err := l.validate(); err != nil {
		return err
	}
	if l.ID == "" {
		l.ID = uuid.NewString()
		_, err := s.DB().Exec(ctx, `INSERT INTO newsletter_lists (id, tenant_id, name, description, kind, public, position, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, l.ID, l.TenantID, l.Name, l.Description, l.Kind, l.Public, l.Position, s.Stamp())
		return err
	}
	res, err := s.DB().Exec(ctx, `UPDATE newsletter_lists SET name = ?, description = ?, kind = ?, public = ?, position = ?
		WHERE tenant_id = ? AND id = ?`, l.Name, l.Description, l.Kind, l.Public, l.Position, l.TenantID, l.ID)
	if err != nil {
		return fmt.Errorf("newsletter: save list: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// DeleteList removes a list and its memberships; its subscribers stay.
func (s *Store) DeleteList(ctx context.Context, tenantID, id string) error {
	res, err := s.DB().Exec(ctx, `DELETE FROM newsletter_lists WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return fmt.Errorf("newsletter: delete list: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Lists returns the collectivité's lists in order, with their active
// subscribers counted; onlyPublic keeps those offered to everyone.
func (s *Store) Lists(ctx context.Context, tenantID string, onlyPublic bool) ([]*List, error) {
	where := "l.tenant_id = ?"
	args := []any{SubscriberActive, tenantID}
	if onlyPublic {
		where, args = where+" AND l.public = ?", append(args, true)
	}
	rows, err := s.DB().Query(ctx, `SELECT l.id, l.tenant_id, l.name, l.description, l.kind, l.public, l.position,
		(SELECT COUNT(*) FROM newsletter_memberships m JOIN newsletter_subscribers s ON s.id = m.subscriber_id
		 WHERE m.list_id = l.id AND s.status = ?)
		FROM newsletter_lists l WHERE `+where+` ORDER BY l.position, l.name`, args...)
	if err != nil {
		return nil, fmt.Errorf("newsletter: lists: %w", err)
	}
	defer rows.Close()
	var out []*List
	for rows.Next() {
		var l List
		if err := rows.Scan(&l.ID, &l.TenantID, &l.Name, &l.Description, &l.Kind, &l.Public, &l.Position, &l.Subscribers); err != nil {
			return nil, err
		}
		out = append(out, &l)
	}
	return out, rows.Err()
}

// listIDs returns the ids of the collectivité's lists (public ones only
// when onlyPublic).
func (s *Store) listIDs(ctx context.Context, tenantID string, onlyPublic bool) ([]string, error) {
	lists, err := s.Lists(ctx, tenantID, onlyPublic)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(lists))
	for i, l := range lists {
		ids[i] = l.ID
	}
	return ids, nil
}
