package appointment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"guichet"
	"guichet/internal/kernel/db"
)

// Waiting-list statuses.
const (
	WaitWaiting  = "waiting"
	WaitOffered  = "offered"
	WaitBooked   = "booked"
	WaitExpired  = "expired"
	WaitDeclined = "declined"
)

// Wait is one person on the waiting list of an appointment type.
type Wait struct {
	ID, TenantID, AgendaID, TypeID string
	UserID, Name, Email, Phone     string
	Lang, Status, SiteURL          string
	CreatedAt                      time.Time
}

// JoinWaitlist puts a person on the waiting list of a type: when a slot is
// freed, the first one waiting gets it held for them and an email.
func (s *Store) JoinWaitlist(ctx context.Context, w *Wait) error {
	f := map[string]string{}
	if w.Name = strings.TrimSpace(w.Name); w.Name == "" {
		f["name"] = "Indiquez votre nom et votre prénom."
	}
	if a, err := mail.ParseAddress(strings.TrimSpace(w.Email)); err != nil || a.Address != strings.TrimSpace(w.Email) {
		f["email"] = "Indiquez une adresse électronique valide, par exemple nom@exemple.fr."
	}
	if len(f) > 0 {
		return guichet.Invalid(f)
	}
	now := s.Now()
	w.ID, w.Status, w.CreatedAt, w.Email = uuid.NewString(), WaitWaiting, now, strings.TrimSpace(w.Email)
	_, err := s.db.Exec(ctx, `INSERT INTO appointment_waitlist (id, tenant_id, agenda_id, type_id, user_id, name, email,
		phone, lang, status, site_url, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		w.ID, w.TenantID, w.AgendaID, w.TypeID, w.UserID, w.Name, w.Email, w.Phone, w.Lang, w.Status, w.SiteURL, now, now)
	if err != nil {
		return fmt.Errorf("appointment: join waiting list: %w", err)
	}
	return nil
}

// Waiting returns how many people wait for a type.
func (s *Store) Waiting(ctx context.Context, tenantID, typeID string) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_waitlist WHERE tenant_id = ? AND type_id = ? AND status = ?`,
		tenantID, typeID, WaitWaiting).Scan(&n)
	return n, err
}

// queueOffer schedules the offer of b's freed slot to the waiting list,
// in the transaction that frees it.
func (s *Store) queueOffer(ctx context.Context, tx *db.Tx, b *Booking) error {
	if !b.Start.After(s.Now()) {
		return nil
	}
	_, err := s.jobs.InsertTx(ctx, tx, offerArgs{TenantID: b.TenantID, AgendaID: b.AgendaID, TypeID: b.TypeID,
		ResourceID: b.ResourceID, Start: b.Start.Unix()}, nil)
	return err
}

// offerArgs is the job that offers a freed slot to the first person waiting.
type offerArgs struct {
	TenantID   string `json:"tenant_id"`
	AgendaID   string `json:"agenda_id"`
	TypeID     string `json:"type_id"`
	ResourceID string `json:"resource_id"`
	Start      int64  `json:"start"`
}

// Kind implements river.JobArgs.
func (offerArgs) Kind() string { return "appointment_offer" }

// offer holds the freed slot for the first person waiting for its type,
// and sends them the link; nothing happens when nobody waits or when
// someone booked the slot in between.
func (s *Store) offer(ctx context.Context, job *river.Job[offerArgs]) error {
	args := job.Args
	start := time.Unix(args.Start, 0).UTC()
	if !start.After(s.Now()) {
		return nil
	}
	a, err := s.Agenda(ctx, args.TenantID, args.AgendaID)
	if err != nil {
		return river.JobCancel(err)
	}
	typ := a.Type(args.TypeID)
	if typ == nil || a.Resource(args.ResourceID) == nil {
		return nil
	}
	w, err := s.firstWaiting(ctx, args.TenantID, args.TypeID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	now := s.Now()
	hold := now.Add(a.Hold)
	if hold.After(start) {
		hold = start
	}
	b := &Booking{ID: uuid.NewString(), TenantID: a.TenantID, AgendaID: a.ID, TypeID: typ.ID,
		Reference: newReference(now), Start: start, End: start.Add(typ.Duration), Status: StatusHeld,
		UserID: w.UserID, Name: w.Name, Email: w.Email, Phone: w.Phone, Lang: w.Lang, BookedBy: "waitlist",
		SiteURL: w.SiteURL, HoldUntil: &hold, WaitlistID: w.ID, CreatedAt: now, UpdatedAt: now}
	b.BusyUntil = b.End.Add(a.Buffer)
	var held bool
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		ok, err := s.occupy(ctx, tx, b, []Resource{*a.Resource(args.ResourceID)}, nil)
		if err != nil || !ok {
			return err // taken in between: nothing to offer
		}
		held = true
		if err := s.insertBooking(ctx, tx, b, nil, false, false); err != nil {
			return err
		}
		n, err := db.Affected(ctx, tx, `UPDATE appointment_waitlist SET status = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND status = ?`,
			WaitOffered, now, w.TenantID, w.ID, WaitWaiting)
		if err != nil || n == 0 {
			return errors.Join(err, errors.New("appointment: waiting entry changed"))
		}
		if _, err := s.jobs.InsertTx(ctx, tx, notifyArgs{TenantID: b.TenantID, BookingID: b.ID, Event: EventOffer}, nil); err != nil {
			return err
		}
		_, err = s.jobs.InsertTx(ctx, tx, expireArgs{TenantID: b.TenantID, BookingID: b.ID}, &river.InsertOpts{ScheduledAt: hold})
		return err
	})
	if err == nil && held {
		s.noteBusy(ctx, b, true)
		s.unclaim(b, b.ResourceID)
	} else {
		s.unclaim(b, "")
	}
	return err
}

func (s *Store) firstWaiting(ctx context.Context, tenantID, typeID string) (*Wait, error) {
	w := &Wait{TenantID: tenantID, TypeID: typeID}
	err := s.db.QueryRow(ctx, `SELECT id, agenda_id, user_id, name, email, phone, lang, status, site_url, created_at
		FROM appointment_waitlist WHERE tenant_id = ? AND type_id = ? AND status = ? ORDER BY created_at, id LIMIT 1`,
		tenantID, typeID, WaitWaiting).Scan(&w.ID, &w.AgendaID, &w.UserID, &w.Name, &w.Email, &w.Phone, &w.Lang,
		&w.Status, &w.SiteURL, &w.CreatedAt)
	return w, err
}

// expireArgs is the job that ends an unanswered waiting-list offer.
type expireArgs struct {
	TenantID  string `json:"tenant_id"`
	BookingID string `json:"booking_id"`
}

// Kind implements river.JobArgs.
func (expireArgs) Kind() string { return "appointment_hold_expire" }

// expire releases a hold nobody confirmed in time; the slot goes to the
// next person waiting.
func (s *Store) expire(ctx context.Context, job *river.Job[expireArgs]) error {
	return s.ExpireHold(ctx, job.Args.TenantID, job.Args.BookingID)
}

// ExpireHold ends a hold whose time is up, if it is still unanswered: a
// waiting-list offer, or a guest's booking never confirmed. The slot goes
// to the next person waiting.
func (s *Store) ExpireHold(ctx context.Context, tenantID, bookingID string) error {
	b, err := s.Get(ctx, tenantID, bookingID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	now := s.Now()
	if (b.Status != StatusHeld && b.Status != StatusPending) || b.HoldUntil == nil || now.Before(*b.HoldUntil) {
		return nil
	}
	var released bool
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		ok, err := s.endHold(ctx, tx, b.TenantID, b.ID, b.WaitlistID, now)
		if err != nil || !ok {
			return err
		}
		released = true
		return s.queueOffer(ctx, tx, b)
	})
	if err == nil && released {
		s.noteBusy(ctx, b, false)
	}
	return err
}

// endHold cancels the hold id, if still held or pending, frees its units
// and marks its waiting-list entry expired.
func (s *Store) endHold(ctx context.Context, tx *db.Tx, tenantID, id, waitlistID string, now time.Time) (bool, error) {
	n, err := db.Affected(ctx, tx, `UPDATE appointment_bookings SET status = ?, holder_key = NULL, ants_key = NULL, cancelled_at = ?,
		updated_at = ? WHERE tenant_id = ? AND id = ? AND status IN (?, ?)`, StatusCancelled, now, now, tenantID, id,
		StatusHeld, StatusPending)
	if err != nil || n == 0 {
		return false, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM appointment_units WHERE tenant_id = ? AND booking_id = ?`, tenantID, id); err != nil {
		return false, fmt.Errorf("appointment: release: %w", err)
	}
	if waitlistID != "" {
		if _, err := tx.Exec(ctx, `UPDATE appointment_waitlist SET status = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
			WaitExpired, now, tenantID, waitlistID); err != nil {
			return false, err
		}
	}
	return true, nil
}

// releaseEndedHolds ends, inside a booking's transaction, the holds past
// their time that occupy units of resource in [start, end); it reports
// whether there were any. The slot being booked, nobody is offered it.
func (s *Store) releaseEndedHolds(ctx context.Context, tx *db.Tx, tenantID, resource string, start, end int64) (bool, error) {
	now := s.Now()
	type ended struct{ id, waitlistID string }
	var list []ended
	err := db.Each(ctx, tx, `SELECT DISTINCT b.id, b.waitlist_id FROM appointment_units u JOIN appointment_bookings b
		ON b.tenant_id = u.tenant_id AND b.id = u.booking_id
		WHERE u.tenant_id = ? AND u.resource_id = ? AND u.unit_start >= ? AND u.unit_start < ?
		AND b.status IN (?, ?) AND b.hold_until <= ?`, func(row db.Row) error {
		var e ended
		if err := row.Scan(&e.id, &e.waitlistID); err != nil {
			return err
		}
		list = append(list, e)
		return nil
	}, tenantID, resource, start, end, StatusHeld, StatusPending, now)
	if err != nil {
		return false, fmt.Errorf("appointment: ended holds: %w", err)
	}
	for _, e := range list {
		if _, err := s.endHold(ctx, tx, tenantID, e.id, e.waitlistID, now); err != nil {
			return false, err
		}
	}
	return len(list) > 0, nil
}

// HoldSweepEvery is how often the holds past their time are released.
const HoldSweepEvery = time.Minute

// ReleaseEndedHolds ends every hold past its time, in every collectivité
// (like the job queue, the sweep works across them; each hold is then
// ended in its own).
func (s *Store) ReleaseEndedHolds(ctx context.Context) error {
	type hold struct{ tenantID, id string }
	rows, err := s.db.Query(ctx, `SELECT tenant_id, id FROM appointment_bookings WHERE hold_until IS NOT NULL
		AND hold_until <= ? AND status IN (?, ?) ORDER BY hold_until LIMIT 500`, s.Now().UTC(), StatusHeld, StatusPending)
	if err != nil {
		return fmt.Errorf("appointment: ended holds: %w", err)
	}
	var list []hold
	for rows.Next() {
		var h hold
		if err := rows.Scan(&h.tenantID, &h.id); err != nil {
			rows.Close()
			return err
		}
		list = append(list, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var errs []error
	for _, h := range list {
		errs = append(errs, s.ExpireHold(ctx, h.tenantID, h.id))
	}
	return errors.Join(errs...)
}

// AcceptOffer turns a held slot into the person's booking.
func (s *Store) AcceptOffer(ctx context.Context, b *Booking, typ *Type) error {
	now := s.Now()
	if b.Status != StatusHeld || b.HoldUntil == nil || !now.Before(*b.HoldUntil) {
		return guichet.Errorf(guichet.EConflict, "Cette proposition a expiré.")
	}
	r := &Request{Type: typ, UserID: b.UserID, Email: b.Email, Phone: b.Phone}
	holder := r.holderKey()
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if holder != nil {
			if _, err := tx.Exec(ctx, `UPDATE appointment_bookings SET holder_key = NULL WHERE tenant_id = ? AND type_id = ?
				AND holder_key = ? AND starts_at <= ?`, b.TenantID, b.TypeID, holder, now); err != nil {
				return err
			}
		}
		n, err := db.Affected(ctx, tx, `UPDATE appointment_bookings SET status = ?, hold_until = NULL, holder_key = ?, updated_at = ?
			WHERE tenant_id = ? AND id = ? AND status = ?`, StatusBooked, holder, now, b.TenantID, b.ID, StatusHeld)
		if isUnique(err) {
			return ErrAlreadyHeld
		}
		if err != nil {
			return err
		}
		if n == 0 {
			return guichet.Errorf(guichet.EConflict, "Cette proposition a expiré.")
		}
		if _, err := tx.Exec(ctx, `UPDATE appointment_waitlist SET status = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
			WaitBooked, now, b.TenantID, b.WaitlistID); err != nil {
			return err
		}
		b.Status, b.HoldUntil = StatusBooked, nil
		_, err = s.jobs.InsertTx(ctx, tx, notifyArgs{TenantID: b.TenantID, BookingID: b.ID, Event: EventConfirmed}, nil)
		return err
	})
}

func isUnique(err error) bool { return err != nil && db.IsUniqueViolation(err) }
