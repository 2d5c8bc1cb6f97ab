package appointment

import (
	"context"
	"errors"
	"fmt"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/privacy"
)

// Retention of a booking's personal details and of waiting-list entries.
const (
	// BookingDays: a booking's person (name, email, phone, ANTS number,
	// account) is erased this many days after its date or its
	// cancellation; the anonymous row stays for the agenda's figures.
	BookingDays = 90
	// WaitlistDays: a waiting-list entry goes this many days after its
	// last change, whatever became of it.
	WaitlistDays = 180
)

// exportedBooking is what a person's data export shows of a booking.
type exportedBooking struct {
	Reference   string     `json:"reference"`
	Agenda      string     `json:"agenda"`
	Type        string     `json:"type"`
	Start       time.Time  `json:"start"`
	End         time.Time  `json:"end"`
	Status      string     `json:"status"`
	Name        string     `json:"name"`
	Email       string     `json:"email,omitempty"`
	Phone       string     `json:"phone,omitempty"`
	ANTS        string     `json:"ants_number,omitempty"`
	BookedBy    string     `json:"booked_by"`
	CreatedAt   time.Time  `json:"created_at"`
	CancelledAt *time.Time `json:"cancelled_at,omitempty"`
}

// exportedWait is what a person's data export shows of a waiting-list entry.
type exportedWait struct {
	Agenda    string    `json:"agenda"`
	Type      string    `json:"type"`
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	Phone     string    `json:"phone,omitempty"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

// Export returns every booking of the person, by account or proven
// address (RGPD right of access and portability).
func (s *Store) Export(ctx context.Context, p account.Person) (any, error) {
	where, args := p.Match("user_id", "email")
	list, err := s.list(ctx, `WHERE tenant_id = ? AND `+where+` ORDER BY starts_at`, append([]any{p.TenantID}, args...)...)
	if err != nil {
		return nil, err
	}
	out := []exportedBooking{}
	for _, b := range list {
		e := exportedBooking{Reference: b.Reference, Start: b.Start, End: b.End, Status: b.Status, Name: b.Name,
			Email: b.Email, Phone: b.Phone, ANTS: b.ANTS, BookedBy: b.BookedBy, CreatedAt: b.CreatedAt, CancelledAt: b.CancelledAt}
		e.Agenda, e.Type = s.names(ctx, p.TenantID, b.AgendaID, b.TypeID)
		out = append(out, e)
	}
	return out, nil
}

// ExportWaitlist returns the person's waiting-list entries.
func (s *Store) ExportWaitlist(ctx context.Context, p account.Person) (any, error) {
	waits, err := s.waitsOf(ctx, p)
	if err != nil {
		return nil, err
	}
	out := []exportedWait{}
	for _, w := range waits {
		e := exportedWait{Name: w.Name, Email: w.Email, Phone: w.Phone, Status: w.Status, CreatedAt: w.CreatedAt}
		e.Agenda, e.Type = s.names(ctx, p.TenantID, w.AgendaID, w.TypeID)
		out = append(out, e)
	}
	return out, nil
}

// names returns an agenda's and a type's names; an agenda since deleted
// leaves them out.
func (s *Store) names(ctx context.Context, tenantID, agendaID, typeID string) (agenda, typ string) {
	a, err := s.Agenda(ctx, tenantID, agendaID)
	if err != nil {
		return "", ""
	}
	if t := a.Type(typeID); t != nil {
		typ = t.Name
	}
	return a.Name, typ
}

func (s *Store) waitsOf(ctx context.Context, p account.Person) ([]Wait, error) {
	where, args := p.Match("user_id", "email")
	rows, err := s.db.Query(ctx, `SELECT id, agenda_id, type_id, user_id, name, email, phone, lang, status, site_url, created_at
		FROM appointment_waitlist WHERE tenant_id = ? AND `+where+` ORDER BY created_at`, append([]any{p.TenantID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("appointment: waiting list of a person: %w", err)
	}
	defer rows.Close()
	var out []Wait
	for rows.Next() {
		w := Wait{TenantID: p.TenantID}
		if err := rows.Scan(&w.ID, &w.AgendaID, &w.TypeID, &w.UserID, &w.Name, &w.Email, &w.Phone, &w.Lang, &w.Status,
			&w.SiteURL, &w.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// Eraser says what erasing a person does to their appointments: they
// leave the waiting lists, their bookings to come are cancelled (the
// slots go to whoever waits) and every booking of theirs is anonymised.
func (s *Store) Eraser() account.Eraser {
	return account.Eraser{Name: "appointments", Effect: "appointment.privacy.erase", Erase: s.Erase}
}

// Erase carries out Eraser for p.
func (s *Store) Erase(ctx context.Context, p account.Person) error {
	where, args := p.Match("user_id", "email")
	all := append([]any{p.TenantID}, args...)
	// Off the lists first, so that a slot freed below is not offered to them.
	if _, err := s.db.Exec(ctx, `DELETE FROM appointment_waitlist WHERE tenant_id = ? AND `+where, all...); err != nil {
		return fmt.Errorf("appointment: erase waiting list: %w", err)
	}
	list, err := s.list(ctx, `WHERE tenant_id = ? AND `+where, all...)
	if err != nil {
		return err
	}
	now := s.Now()
	for _, b := range list {
		if !b.Changeable(now) {
			continue
		}
		if err := s.Cancel(ctx, b, "erasure"); err != nil && !errors.Is(err, ErrNotCancelled) {
			return err
		}
	}
	_, err = s.anonymise(ctx, `tenant_id = ? AND `+where, all...)
	return err
}

// anonymise erases the person from the bookings selected by where.
func (s *Store) anonymise(ctx context.Context, where string, args ...any) (int64, error) {
	res, err := s.db.Exec(ctx, `UPDATE appointment_bookings SET name = '', email = '', phone = '', ants_number = '',
		user_id = '', holder_key = NULL, site_url = '' WHERE `+where, args...)
	if err != nil {
		return 0, fmt.Errorf("appointment: anonymise bookings: %w", err)
	}
	return res.RowsAffected()
}

// AnonymiseOld erases the person from the bookings whose date or
// cancellation is more than BookingDays old, across every collectivité.
// Bookings held for someone, or still to come, are never touched.
func (s *Store) AnonymiseOld(ctx context.Context) (int64, error) {
	cutoff := privacy.Cutoff(s.Now(), BookingDays)
	n, err := s.anonymise(ctx, `name <> '' AND starts_at < ? AND status <> ?`, cutoff, StatusHeld)
	if err != nil {
		return n, err
	}
	m, err := s.anonymise(ctx, `name <> '' AND cancelled_at < ? AND status = ?`, cutoff, StatusCancelled)
	return n + m, err
}

// PurgeWaitlist deletes the waiting-list entries unchanged for more than
// WaitlistDays, across every collectivité, except those whose offer is
// still open.
func (s *Store) PurgeWaitlist(ctx context.Context) (int64, error) {
	res, err := s.db.Exec(ctx, `DELETE FROM appointment_waitlist WHERE updated_at < ? AND status <> ?`,
		privacy.Cutoff(s.Now(), WaitlistDays), WaitOffered)
	if err != nil {
		return 0, fmt.Errorf("appointment: purge waiting list: %w", err)
	}
	return res.RowsAffected()
}

// RetentionRules returns the rules the periodic retention job applies.
func (s *Store) RetentionRules() []privacy.Rule {
	return []privacy.Rule{
		{Key: "appointment.bookings", Apply: s.AnonymiseOld},
		{Key: "appointment.waitlist", Apply: s.PurgeWaitlist},
	}
}

// Processing returns the appointments' lines of the register of
// processing activities; their texts are in the appointment web module's
// catalogue.
func (s *Store) Processing() []privacy.Activity {
	return []privacy.Activity{{
		Key: "appointment.bookings", Order: 300, InUse: s.hasAgendas,
		Name: privacy.T("appointment.privacy.bookings.name"), Purpose: privacy.T("appointment.privacy.bookings.purpose"),
		Bases: []privacy.Basis{privacy.PublicTask}, Law: privacy.T("appointment.privacy.bookings.law"),
		People: privacy.T("appointment.privacy.bookings.people"), Data: privacy.T("appointment.privacy.bookings.data"),
		Retention:  privacy.T("appointment.privacy.bookings.retention", BookingDays),
		Recipients: privacy.T("appointment.privacy.bookings.recipients"),
	}, {
		Key: "appointment.waitlist", Order: 310, InUse: s.hasAgendas,
		Name: privacy.T("appointment.privacy.waitlist.name"), Purpose: privacy.T("appointment.privacy.waitlist.purpose"),
		Bases:  []privacy.Basis{privacy.PublicTask},
		People: privacy.T("appointment.privacy.waitlist.people"), Data: privacy.T("appointment.privacy.waitlist.data"),
		Retention:  privacy.T("appointment.privacy.waitlist.retention", WaitlistDays),
		Recipients: privacy.T("appointment.privacy.waitlist.recipients"),
	}}
}

func (s *Store) hasAgendas(ctx context.Context, tenantID string) (bool, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_agendas WHERE tenant_id = ?`, tenantID).Scan(&n)
	return n > 0, err
}
