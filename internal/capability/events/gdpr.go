package events

import (
	"context"
	"fmt"
	"time"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/privacy"
)

// Retention of the people's records in the agenda, in days.
const (
	// RegistrationDays: a registration goes this many days after the date
	// it was for.
	RegistrationDays = 90
)

// exportedRegistration is what a data export shows of a registration.
type exportedRegistration struct {
	Event     string    `json:"event"`
	Date      time.Time `json:"date"`
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportRegistrations returns the person's registrations to events, found
// by their proven address (registrations need no account).
func (s *Store) ExportRegistrations(ctx context.Context, p account.Person) (any, error) {
	where, args := p.Match("", "r.email")
	rows, err := s.DB().Query(ctx, `SELECT e.title, r.occurrence_start, r.name, r.email, r.status, r.created_at
		FROM content_registrations r JOIN content_events e ON e.tenant_id = r.tenant_id AND e.id = r.event_id
		WHERE r.tenant_id = ? AND `+where+` ORDER BY r.occurrence_start, r.id`, append([]any{p.TenantID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("events: export registrations: %w", err)
	}
	defer rows.Close()
	out := []exportedRegistration{}
	for rows.Next() {
		var r exportedRegistration
		if err := rows.Scan(&r.Event, &r.Date, &r.Name, &r.Email, &r.Status, &r.CreatedAt); err != nil {
			return nil, err
		}
		r.Date = r.Date.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}

// Eraser says what erasing a person does to their records in the agenda:
// registrations withdrawn (their seats passed on) and deleted.
func (s *Store) Eraser() account.Eraser {
	return account.Eraser{Name: "events", Effect: "events.privacy.erase", Erase: s.Erase}
}

// Erase carries out Eraser for p.
func (s *Store) Erase(ctx context.Context, p account.Person) error {
	return s.eraseRegistrations(ctx, p)
}

// eraseRegistrations withdraws the person's registrations to dates still
// to come, telling whoever gets their seat, then deletes them all.
func (s *Store) eraseRegistrations(ctx context.Context, p account.Person) error {
	where, args := p.Match("", "email")
	all := append([]any{p.TenantID}, args...)
	type reg struct {
		id, eventID, status string
		occurrence          time.Time
	}
	var regs []reg
	err := s.rows(ctx, `SELECT id, event_id, status, occurrence_start FROM content_registrations
		WHERE tenant_id = ? AND occurrence_start > ? AND `+where, append([]any{p.TenantID, s.Stamp()}, args...), func(scan func(...any) error) error {
		var r reg
		err := scan(&r.id, &r.eventID, &r.status, &r.occurrence)
		regs = append(regs, r)
		return err
	})
	if err != nil {
		return fmt.Errorf("events: erase registrations: %w", err)
	}
	for _, r := range regs {
		var promoted *Registration
		err := s.DB().InTx(ctx, func(tx *db.Tx) error {
			var err error
			promoted, err = withdraw(ctx, tx, p.TenantID, r.id, r.eventID, r.occurrence, r.status)
			return err
		})
		if err != nil {
			return fmt.Errorf("events: withdraw registration: %w", err)
		}
		if err := s.tellPromoted(ctx, p, promoted); err != nil {
			return err
		}
	}
	if _, err := s.DB().Exec(ctx, `DELETE FROM content_registrations WHERE tenant_id = ? AND `+where, all...); err != nil {
		return fmt.Errorf("events: erase registrations: %w", err)
	}
	return nil
}

// tellPromoted mails the person who got a seat freed by an erasure.
func (s *Store) tellPromoted(ctx context.Context, p account.Person, r *Registration) error {
	if r == nil {
		return nil
	}
	e, err := s.ByID(ctx, p.TenantID, r.EventID)
	if err != nil {
		return err
	}
	return s.Send(ctx, p.TenantID, r.Email, "events/registration_promoted", r.Lang, map[string]any{
		"Event": e.Title, "Date": occurrenceLabel(e, r.Occurrence, p.Loc, r.Lang), "URL": p.SiteURL + e.URL()})
}

// occurrenceLabel writes the date of an event starting at start as one
// line: "5 décembre 2026, 14:00".
func occurrenceLabel(e *Event, start time.Time, loc *time.Location, lang string) string {
	if loc == nil {
		loc = time.UTC
	}
	local := start.In(loc)
	if e.AllDay {
		return guichet.Date(local, lang)
	}
	return guichet.Date(local, lang) + ", " + local.Format("15:04")
}

// rows runs a query and calls each for every row.
func (s *Store) rows(ctx context.Context, q string, args []any, each func(scan func(...any) error) error) error {
	rows, err := s.DB().Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// PurgeRegistrations deletes, across every collectivité, the
// registrations to dates more than RegistrationDays past.
func (s *Store) PurgeRegistrations(ctx context.Context) (int64, error) {
	return s.exec(ctx, `DELETE FROM content_registrations WHERE occurrence_start < ?`, privacy.Cutoff(s.Stamp(), RegistrationDays))
}

func (s *Store) exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := s.DB().Exec(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("events: retention: %w", err)
	}
	return res.RowsAffected()
}

// RetentionRules returns the rules the periodic retention job applies.
func (s *Store) RetentionRules() []privacy.Rule {
	return []privacy.Rule{
		{Key: "events.registrations", Apply: s.PurgeRegistrations},
	}
}

// Processing returns the agenda's line of the register of processing
// activities; its texts are in the events web module's catalogue.
func (s *Store) Processing() []privacy.Activity {
	line := func(key string, order int, bases []privacy.Basis, inUse func(context.Context, string) (bool, error), retention privacy.Text) privacy.Activity {
		k := "events.privacy." + key + "."
		return privacy.Activity{Key: "events." + key, Order: order, InUse: inUse, Bases: bases,
			Name: privacy.T(k + "name"), Purpose: privacy.T(k + "purpose"), People: privacy.T(k + "people"),
			Data: privacy.T(k + "data"), Retention: retention, Recipients: privacy.T(k + "recipients")}
	}
	return []privacy.Activity{
		line("registrations", 200, []privacy.Basis{privacy.PublicTask}, s.hasRegistrationEvents,
			privacy.T("events.privacy.registrations.retention", RegistrationDays)),
	}
}

func (s *Store) hasRegistrationEvents(ctx context.Context, tenantID string) (bool, error) {
	var n int
	err := s.DB().QueryRow(ctx, `SELECT COUNT(*) FROM content_events WHERE tenant_id = ? AND registration = ?`, tenantID, true).Scan(&n)
	return n > 0, err
}
