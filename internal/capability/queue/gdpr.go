package queue

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/privacy"
)

// Retention: an address given for a ticket, and a checked-in
// appointment's reference, serve that day only; tickets,
// which hold nothing personal once it is gone, are kept 13 months for the
// figures.
const (
	EmailDays  = 1
	TicketDays = 396
)

type exportedTicket struct {
	Label     string    `json:"label"`
	Day       string    `json:"day"`
	State     string    `json:"state"`
	Email     string    `json:"email"`
	CreatedAt time.Time `json:"created_at"`
}

// Export returns the tickets a person left their address on.
func (s *Store) Export(ctx context.Context, p account.Person) (any, error) {
	where, args := p.Match("", "email")
	rows, err := s.db.Query(ctx, `SELECT label, day, state, email, created_at FROM queue_tickets WHERE tenant_id = ? AND email <> '' AND `+where+`
		ORDER BY created_at`, append([]any{p.TenantID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("queue: export: %w", err)
	}
	defer rows.Close()
	out := []exportedTicket{}
	for rows.Next() {
		var e exportedTicket
		if err := rows.Scan(&e.Label, &e.Day, &e.State, &e.Email, &e.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Eraser says what erasing a person does to their tickets: the address
// is removed, the anonymous ticket stays in the figures.
func (s *Store) Eraser() account.Eraser {
	return account.Eraser{Name: "queue", Effect: "queue.privacy.erase", Erase: s.Erase}
}

// Erase carries out Eraser for p.
func (s *Store) Erase(ctx context.Context, p account.Person) error {
	where, args := p.Match("", "email")
	if _, err := s.db.Exec(ctx, `UPDATE queue_tickets SET email = '' WHERE tenant_id = ? AND email <> '' AND `+where,
		append([]any{p.TenantID}, args...)...); err != nil {
		return fmt.Errorf("queue: erase: %w", err)
	}
	return nil
}

// ForgetEmails removes the addresses and the appointments' references of
// tickets past their day.
func (s *Store) ForgetEmails(ctx context.Context) (int64, error) {
	res, err := s.db.Exec(ctx, `UPDATE queue_tickets SET email = '', appointment_ref = '' WHERE (email <> '' OR appointment_ref <> '') AND created_at < ?`,
		privacy.Cutoff(s.now(), EmailDays))
	if err != nil {
		return 0, fmt.Errorf("queue: retention: %w", err)
	}
	return res.RowsAffected()
}

// PurgeTickets deletes the tickets past their period.
func (s *Store) PurgeTickets(ctx context.Context) (int64, error) {
	res, err := s.db.Exec(ctx, `DELETE FROM queue_tickets WHERE created_at < ?`, privacy.Cutoff(s.now(), TicketDays))
	if err != nil {
		return 0, fmt.Errorf("queue: retention: %w", err)
	}
	if _, err := s.db.Exec(ctx, `DELETE FROM queue_numbers WHERE day < ?`, privacy.Cutoff(s.now(), 2).Format(time.DateOnly)); err != nil {
		return 0, fmt.Errorf("queue: retention: %w", err)
	}
	return res.RowsAffected()
}

// RetentionRules returns the rules the periodic retention job applies.
func (s *Store) RetentionRules() []privacy.Rule {
	return []privacy.Rule{{Key: "queue.emails", Apply: s.ForgetEmails}, {Key: "queue.tickets", Apply: s.PurgeTickets}}
}

// Processing returns the queue's line of the register; its texts are in
// the web module's catalogue.
func (s *Store) Processing() []privacy.Activity {
	const k = "queue.privacy.tickets."
	return []privacy.Activity{{Key: "queue.tickets", Order: 330, Bases: []privacy.Basis{privacy.PublicTask},
		Name: privacy.T(k + "name"), Purpose: privacy.T(k + "purpose"), People: privacy.T(k + "people"),
		Data: privacy.T(k + "data"), Retention: privacy.T(k+"retention", TicketDays/30), Recipients: privacy.T(k + "recipients"),
		InUse: s.InUse}}
}

// InUse reports whether a collectivité has a reception site.
func (s *Store) InUse(ctx context.Context, tenantID string) (bool, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM queue_sites WHERE tenant_id = ?`, tenantID).Scan(&n)
	return n > 0, err
}
