package appointment

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tokens"
)

// Booking is one appointment taken (or held for someone on the waiting list).
type Booking struct {
	ID, TenantID, AgendaID, TypeID, ResourceID string
	Reference                                  string // for display: RDV-2026-7KQ4M2
	Start, End, BusyUntil                      time.Time
	Status                                     string
	UserID, Name, Email, Phone, ANTS, Lang     string
	Sequence                                   int
	BookedBy                                   string // "resident", "guest", "agent", "waitlist"
	SiteURL                                    string // where links in its emails lead
	HoldUntil                                  *time.Time
	WaitlistID                                 string
	// Guest: booked without a verified address. It stays pending until
	// the emailed link is confirmed, and counts against the agenda's cap.
	Guest                bool
	CreatedAt, UpdatedAt time.Time
	CancelledAt          *time.Time
}

// Active reports whether the booking still occupies its slot.
func (b *Booking) Active() bool { return b.Status != StatusCancelled }

// Changeable reports whether the resident may still cancel or move it.
func (b *Booking) Changeable(now time.Time) bool {
	return (b.Status == StatusBooked || b.Status == StatusHeld || b.Status == StatusPending) && b.Start.After(now)
}

const bookingColumns = `id, tenant_id, agenda_id, type_id, resource_id, reference, starts_at, ends_at, busy_until,
	status, user_id, name, email, phone, ants_number, lang, sequence, booked_by, site_url, hold_until, waitlist_id,
	created_at, updated_at, cancelled_at, guest`

func scanBooking(row interface{ Scan(...any) error }) (*Booking, error) {
	var (
		b                 Booking
		hold, cancelledAt sql.NullTime
	)
	err := row.Scan(&b.ID, &b.TenantID, &b.AgendaID, &b.TypeID, &b.ResourceID, &b.Reference, &b.Start, &b.End,
		&b.BusyUntil, &b.Status, &b.UserID, &b.Name, &b.Email, &b.Phone, &b.ANTS, &b.Lang, &b.Sequence, &b.BookedBy,
		&b.SiteURL, &hold, &b.WaitlistID, &b.CreatedAt, &b.UpdatedAt, &cancelledAt, &b.Guest)
	if err != nil {
		return nil, err
	}
	b.Start, b.End, b.BusyUntil = b.Start.UTC(), b.End.UTC(), b.BusyUntil.UTC()
	if hold.Valid {
		t := hold.Time.UTC()
		b.HoldUntil = &t
	}
	if cancelledAt.Valid {
		b.CancelledAt = &cancelledAt.Time
	}
	return &b, nil
}

// Request asks for a booking.
type Request struct {
	Agenda *Agenda
	Type   *Type
	Loc    *time.Location
	Start  time.Time
	// ResourceID, when set (agents), asks for that resource only.
	ResourceID                       string
	UserID, Name, Email, Phone, ANTS string
	Lang, BookedBy, SiteURL          string
	// Agent lets staff book inside the minimum notice.
	Agent bool
	// Verified says that Email is proven the person's own (a resident's
	// verified account). Otherwise, and unless staff book, the booking is
	// only held until the person confirms the link emailed to them.
	Verified bool
}

// held reports whether the booking waits for its emailed confirmation.
func (r *Request) held() bool { return !r.Agent && !r.Verified }

// Validate checks the person's details.
func (r *Request) Validate() error {
	f := map[string]string{}
	r.Name = strings.TrimSpace(r.Name)
	if r.Name == "" || len(r.Name) > 200 {
		f["name"] = "Indiquez votre nom et votre prénom."
	}
	r.Email = strings.TrimSpace(r.Email)
	if r.Email != "" {
		if a, err := mail.ParseAddress(r.Email); err != nil || a.Address != r.Email || len(r.Email) > 254 {
			f["email"] = "Indiquez une adresse électronique valide, par exemple nom@exemple.fr."
		}
	}
	if r.Phone = strings.TrimSpace(r.Phone); r.Phone != "" && !validPhone(r.Phone) {
		f["phone"] = "Indiquez un numéro de téléphone valide, par exemple 06 12 34 56 78."
	}
	if r.Email == "" && r.Phone == "" {
		f["email"] = "Indiquez une adresse électronique ou un numéro de téléphone."
	} else if r.Email == "" && r.held() {
		f["email"] = "Indiquez votre adresse électronique : la confirmation y sera envoyée."
	}
	if r.Type.ANTS {
		n, ok := NormalizeANTS(r.ANTS)
		if !ok {
			f["ants"] = "Le numéro de pré-demande compte 10 lettres et chiffres, par exemple AB12CD34EF."
		}
		r.ANTS = n
	} else {
		r.ANTS = ""
	}
	if len(f) > 0 {
		return guichet.Invalid(f)
	}
	return nil
}

// validPhone accepts French and international numbers: digits, spaces,
// dots, dashes and a leading +, 10 to 15 digits.
func validPhone(s string) bool {
	digits := 0
	for i, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == ' ' || c == '.' || c == '-':
		case c == '+' && i == 0:
		default:
			return false
		}
	}
	return digits >= 10 && digits <= 15
}

// holderKey names the person for the one-booking-per-type rule.
func (r *Request) holderKey() any {
	if !r.Type.OnePerPerson {
		return nil
	}
	if r.UserID != "" {
		return "u:" + r.UserID
	}
	if r.Email != "" {
		return "e:" + strings.ToLower(r.Email)
	}
	return "p:" + strings.Map(func(c rune) rune {
		if c >= '0' && c <= '9' {
			return c
		}
		return -1
	}, r.Phone)
}

// candidates returns the resources free at r.Start as last read, or
// ErrSlotTaken (a real slot, taken) or ErrSlotInvalid (never offered).
// The range of moving, a booking being moved, counts as free.
func (s *Store) candidates(ctx context.Context, r *Request, moving *Booking) ([]Resource, error) {
	a, day := r.Agenda, DayOf(r.Start, r.Loc)
	slots, c, err := s.Free(ctx, a, r.Loc, r.Type, day, day)
	if err != nil {
		return nil, err
	}
	if r.Agent || moving != nil {
		var busy Busy
		from, to := day.Time(r.Loc), day.AddDays(1).Time(r.Loc).Add(a.Buffer)
		if r.Agent {
			// Staff may book inside the minimum notice, never in the past,
			// and see the database rather than the cache.
			agentAgenda := *a
			agentAgenda.MinNotice = 0
			c.Agenda = &agentAgenda
			busy, err = s.BusyBetween(ctx, a, from, to)
		} else {
			busy, err = s.busyFor(ctx, a, r.Loc, from, to)
		}
		if err != nil {
			return nil, err
		}
		if moving != nil {
			busy = applyChange(busy, busyChange{res: moving.ResourceID, iv: Interval{moving.Start.Unix(), moving.BusyUntil.Unix()}})
		}
		slots = c.Slots(r.Type, day, day, s.Now(), busy)
	}
	for _, sl := range slots {
		if !sl.Start.Equal(r.Start) {
			continue
		}
		var out []Resource
		for _, i := range sl.FreeResources() {
			if r.ResourceID == "" || a.Resources[i].ID == r.ResourceID {
				out = append(out, a.Resources[i])
			}
		}
		if len(out) == 0 {
			return nil, ErrSlotTaken
		}
		return out, nil
	}
	for _, sl := range s.offered(c, r.Type, day, day, s.Now()) {
		if sl.Start.Equal(r.Start) {
			return nil, ErrSlotTaken
		}
	}
	return nil, ErrSlotInvalid
}

// Book takes the slot r.Start for the person of r on the first free
// resource. Two people racing for the same unit of a resource cannot both
// win: the units' primary key refuses the second insert, which then tries
// the next resource or returns ErrSlotTaken.
func (s *Store) Book(ctx context.Context, r *Request) (*Booking, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	res, err := s.candidates(ctx, r, nil)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	b := &Booking{ID: uuid.NewString(), TenantID: r.Agenda.TenantID, AgendaID: r.Agenda.ID, TypeID: r.Type.ID,
		Reference: newReference(now), Start: r.Start.UTC(), End: r.Start.Add(r.Type.Duration).UTC(), Status: StatusBooked,
		UserID: r.UserID, Name: r.Name, Email: r.Email, Phone: r.Phone, ANTS: r.ANTS, Lang: r.Lang,
		BookedBy: r.BookedBy, SiteURL: r.SiteURL, CreatedAt: now, UpdatedAt: now}
	b.BusyUntil = b.End.Add(r.Agenda.Buffer)
	if r.held() {
		hold := now.Add(r.Agenda.ConfirmHold)
		if hold.After(b.Start) {
			hold = b.Start
		}
		b.Status, b.HoldUntil, b.Guest = StatusPending, &hold, true
	}
	if res = s.claimFirst(b, res, nil); res == nil {
		return nil, ErrSlotTaken
	}
	pastHolder, err := s.checkHolder(ctx, r)
	if err == nil {
		err = s.checkANTS(ctx, b)
	}
	if err != nil {
		s.unclaim(b, "")
		return nil, err
	}
	err = s.inBookingTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if b.Guest {
			if err := s.checkGuests(ctx, tx, r, b); err != nil {
				return err
			}
		}
		ok, err := s.occupy(ctx, tx, b, res, nil)
		if err != nil || !ok {
			return errors.Join(err, ErrSlotTaken)
		}
		return s.insertBooking(ctx, tx, b, r.holderKey(), pastHolder, true)
	})
	if err != nil {
		s.unclaim(b, "")
		return nil, err
	}
	s.noteBusy(ctx, b, true)
	s.unclaim(b, b.ResourceID)
	s.confirmSoon()
	return b, nil
}

// checkHolder refuses early a second active booking of a one-per-person
// type; the unique index on holder_key is what guarantees it. It reports
// whether a past booking still holds the key, to be released when booking.
func (s *Store) checkHolder(ctx context.Context, r *Request) (past bool, err error) {
	key := r.holderKey()
	if key == nil {
		return false, nil
	}
	var start time.Time
	var hold sql.NullTime
	err = s.db.QueryRow(ctx, `SELECT starts_at, hold_until FROM appointment_bookings WHERE tenant_id = ? AND type_id = ?
		AND holder_key = ?`, r.Agenda.TenantID, r.Type.ID, key).Scan(&start, &hold)
	now := s.Now()
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("appointment: check holder: %w", err)
	case start.After(now) && (!hold.Valid || hold.Time.After(now)):
		return false, ErrAlreadyHeld
	}
	return true, nil
}

// checkANTS refuses early a pre-application number that an active booking
// of the collectivité holds; the unique index on ants_key guarantees it.
func (s *Store) checkANTS(ctx context.Context, b *Booking) error {
	if b.ANTS == "" {
		return nil
	}
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_bookings WHERE tenant_id = ? AND ants_key = ?
		AND ends_at > ? AND (hold_until IS NULL OR hold_until > ?)`, b.TenantID, b.ANTS, b.CreatedAt, b.CreatedAt).Scan(&n)
	if err != nil {
		return fmt.Errorf("appointment: check ANTS number: %w", err)
	}
	if n > 0 {
		return ErrANTSInUse
	}
	return nil
}

// checkGuests refuses a guest's booking once the agenda's guests hold
// GuestsPerDay bookings on its day. It runs in the booking's transaction:
// SQLite's single writer makes the count exact; on PostgreSQL, requests
// at the very same moment may pass it together.
func (s *Store) checkGuests(ctx context.Context, tx *db.Tx, r *Request, b *Booking) error {
	day := DayOf(b.Start, r.Loc)
	var n int
	err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_bookings WHERE tenant_id = ? AND agenda_id = ?
		AND starts_at >= ? AND starts_at < ? AND guest AND status <> ? AND (hold_until IS NULL OR hold_until > ?)`,
		b.TenantID, b.AgendaID, day.Time(r.Loc).UTC(), day.AddDays(1).Time(r.Loc).UTC(), StatusCancelled, b.CreatedAt).Scan(&n)
	if err != nil {
		return fmt.Errorf("appointment: count guests: %w", err)
	}
	if n >= r.Agenda.GuestsPerDay {
		return ErrGuestLimit
	}
	return nil
}

// occupy inserts the units of b on the first resource of res whose units
// are all free, and sets b.ResourceID. Conflicts are skipped by the
// database (ON CONFLICT DO NOTHING), so no transaction aborts on them.
// moving is the booking's former self when it moves: its range does not
// count as busy. The ranges tried stay claimed in this process until the
// caller calls s.unclaim, once the transaction has ended; the caller
// usually claims the first one before the transaction (claimFirst).
func (s *Store) occupy(ctx context.Context, tx *db.Tx, b *Booking, res []Resource, moving *Booking) (bool, error) {
	start, end := b.Start.Unix(), b.BusyUntil.Unix()
	n := int((end - start) / int64(Unit/time.Second))
	var q strings.Builder
	q.WriteString(`INSERT INTO appointment_units (tenant_id, resource_id, unit_start, booking_id) VALUES `)
	for i := range n {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?)")
	}
	q.WriteString(" ON CONFLICT DO NOTHING")
	args := make([]any, 0, 4*n)
	for _, r := range res {
		if !s.claimed(b, r.ID) && (s.knownBusy(b.AgendaID, r.ID, start, end, moving) || !s.claim(b, r.ID)) {
			continue // booked, or being booked, since the slots were read
		}
		args = args[:0]
		for u := start; u < end; u += int64(Unit / time.Second) {
			args = append(args, b.TenantID, r.ID, u, b.ID)
		}
		for try := 0; try < 2; try++ {
			got, err := db.Affected(ctx, tx, q.String(), args...)
			if err != nil {
				return false, fmt.Errorf("appointment: occupy: %w", err)
			}
			if int(got) == n {
				b.ResourceID = r.ID
				return true, nil
			}
			if got > 0 {
				if _, err := tx.Exec(ctx, `DELETE FROM appointment_units WHERE tenant_id = ? AND booking_id = ?
				AND resource_id = ? AND unit_start >= ? AND unit_start < ?`, b.TenantID, b.ID, r.ID, start, end); err != nil {
					return false, err
				}
			}
			// Units may belong to holds whose time is up but which the
			// sweep has not released yet: release them and try again.
			if freed, err := s.releaseEndedHolds(ctx, tx, b.TenantID, r.ID, start, end); err != nil || !freed {
				if err != nil {
					return false, err
				}
				break
			}
		}
	}
	return false, nil
}

// insertBooking stores b. releasePast says that a past booking still
// holds the key holder: it no longer counts against its holder. confirm
// flags b for its confirmation email (see confirmations.go).
func (s *Store) insertBooking(ctx context.Context, tx *db.Tx, b *Booking, holder any, releasePast, confirm bool) error {
	if holder != nil && releasePast {
		if _, err := tx.Exec(ctx, `UPDATE appointment_bookings SET holder_key = NULL WHERE tenant_id = ? AND type_id = ?
			AND holder_key = ? AND (starts_at <= ? OR hold_until <= ?)`, b.TenantID, b.TypeID, holder, b.CreatedAt, b.CreatedAt); err != nil {
			return fmt.Errorf("appointment: release past holder: %w", err)
		}
	}
	var hold, ants any
	if b.HoldUntil != nil {
		hold = *b.HoldUntil
	}
	if b.ANTS != "" {
		// A booking past, or a hold ended, no longer holds the number.
		if _, err := tx.Exec(ctx, `UPDATE appointment_bookings SET ants_key = NULL WHERE tenant_id = ? AND ants_key = ?
			AND (ends_at <= ? OR hold_until <= ?)`, b.TenantID, b.ANTS, b.CreatedAt, b.CreatedAt); err != nil {
			return fmt.Errorf("appointment: release past ANTS number: %w", err)
		}
		ants = b.ANTS
	}
	_, err := tx.Exec(ctx, `INSERT INTO appointment_bookings (`+bookingColumns+`, manage_hash, holder_key, confirm_pending, ants_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.ID, b.TenantID, b.AgendaID, b.TypeID, b.ResourceID, b.Reference, b.Start, b.End, b.BusyUntil, b.Status,
		b.UserID, b.Name, b.Email, b.Phone, b.ANTS, b.Lang, b.Sequence, b.BookedBy, b.SiteURL, hold, b.WaitlistID,
		b.CreatedAt, b.UpdatedAt, nil, b.Guest, tokens.Hash(s.ManageToken(b)), holder, confirm, ants)
	if isANTSConflict(err) {
		return ErrANTSInUse
	}
	if db.IsUniqueViolation(err) && holder != nil {
		return ErrAlreadyHeld
	}
	if err != nil {
		return fmt.Errorf("appointment: insert booking: %w", err)
	}
	return nil
}

const referenceAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// newReference returns a display reference such as RDV-2026-7KQ4M2; it is
// random so that no shared counter serialises bookings.
func newReference(now time.Time) string {
	var raw [6]byte
	_, _ = rand.Read(raw[:])
	for i := range raw {
		raw[i] = referenceAlphabet[int(raw[i])%len(referenceAlphabet)]
	}
	return fmt.Sprintf("RDV-%d-%s", now.Year(), raw[:])
}

// ManageToken returns the secret of b's manage link: derived from the
// server's key, so that emails sent later (reminders) can carry it while
// the database keeps only its hash.
func (s *Store) ManageToken(b *Booking) string {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte("appointment-manage/" + b.TenantID + "/" + b.ID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// ConfirmCode returns the secret that the link emailed to a guest
// carries: only the owner of the address can confirm their booking, not
// whoever holds its manage link.
func (s *Store) ConfirmCode(b *Booking) string {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte("appointment-confirm/" + b.TenantID + "/" + b.ID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CheckConfirmCode reports whether code is b's confirmation code.
func (s *Store) CheckConfirmCode(b *Booking, code string) bool {
	return hmac.Equal([]byte(code), []byte(s.ConfirmCode(b)))
}

// ConfirmHold turns a guest's pending booking into a booking, by the code
// of the link emailed to them, before its hold ends; its confirmation
// email is then sent. Confirming twice changes nothing.
func (s *Store) ConfirmHold(ctx context.Context, b *Booking, code string) error {
	if !s.CheckConfirmCode(b, code) {
		return ErrNotFound
	}
	if b.Status == StatusBooked && b.Guest {
		return nil
	}
	now := s.Now()
	if b.Status != StatusPending || b.HoldUntil == nil || !now.Before(*b.HoldUntil) {
		return ErrHoldExpired
	}
	res, err := s.db.Exec(ctx, `UPDATE appointment_bookings SET status = ?, hold_until = NULL, confirm_pending = TRUE,
		updated_at = ? WHERE tenant_id = ? AND id = ? AND status = ? AND hold_until > ?`,
		StatusBooked, now, b.TenantID, b.ID, StatusPending, now)
	if err != nil {
		return fmt.Errorf("appointment: confirm: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrHoldExpired
	}
	b.Status, b.HoldUntil, b.UpdatedAt = StatusBooked, nil, now
	s.confirmSoon()
	return nil
}

// ByToken returns the booking whose manage link carries token.
func (s *Store) ByToken(ctx context.Context, tenantID, token string) (*Booking, error) {
	if len(token) < 20 || len(token) > 100 {
		return nil, ErrNotFound
	}
	return s.one(ctx, `WHERE tenant_id = ? AND manage_hash = ?`, tenantID, tokens.Hash(token))
}

// Get returns a booking by id.
func (s *Store) Get(ctx context.Context, tenantID, id string) (*Booking, error) {
	return s.one(ctx, `WHERE tenant_id = ? AND id = ?`, tenantID, id)
}

func (s *Store) one(ctx context.Context, where string, args ...any) (*Booking, error) {
	b, err := scanBooking(s.db.QueryRow(ctx, `SELECT `+bookingColumns+` FROM appointment_bookings `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("appointment: booking: %w", err)
	}
	return b, nil
}

// isANTSConflict reports a unique violation of the ANTS number's index:
// another booking took the number since it was checked.
func isANTSConflict(err error) bool {
	return db.IsUniqueViolation(err) && (strings.Contains(err.Error(), "ants_key") || strings.Contains(err.Error(), "appointment_bookings_ants"))
}

// Cancel cancels a booking that has not started, frees its slot and
// offers it to the waiting list.
func (s *Store) Cancel(ctx context.Context, b *Booking, by string) error {
	now := s.Now()
	if !b.Changeable(now) {
		return ErrNotCancelled
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		n, err := db.Affected(ctx, tx, `UPDATE appointment_bookings SET status = ?, holder_key = NULL, ants_key = NULL,
			sequence = sequence + 1, cancelled_at = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND status IN (?, ?, ?)`,
			StatusCancelled, now, now, b.TenantID, b.ID, StatusBooked, StatusHeld, StatusPending)
		if err != nil {
			return fmt.Errorf("appointment: cancel: %w", err)
		}
		if n == 0 {
			return ErrNotCancelled
		}
		if err := s.release(ctx, tx, b); err != nil {
			return err
		}
		if b.Status == StatusBooked {
			if _, err := s.jobs.InsertTx(ctx, tx, notifyArgs{TenantID: b.TenantID, BookingID: b.ID, Event: EventCancelled}, nil); err != nil {
				return err
			}
		}
		if b.WaitlistID != "" {
			if _, err := tx.Exec(ctx, `UPDATE appointment_waitlist SET status = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
				WaitDeclined, now, b.TenantID, b.WaitlistID); err != nil {
				return err
			}
		}
		b.Status, b.Sequence = StatusCancelled, b.Sequence+1
		return s.queueOffer(ctx, tx, b)
	})
	if err == nil {
		s.noteBusy(ctx, b, false)
	}
	return err
}

// release frees the units of b.
func (s *Store) release(ctx context.Context, tx *db.Tx, b *Booking) error {
	_, err := tx.Exec(ctx, `DELETE FROM appointment_units WHERE tenant_id = ? AND booking_id = ?`, b.TenantID, b.ID)
	if err != nil {
		return fmt.Errorf("appointment: release: %w", err)
	}
	return nil
}

// Move changes a booking's start, keeping its id and manage link; its
// .ics is sent again with a higher SEQUENCE.
func (s *Store) Move(ctx context.Context, b *Booking, r *Request) error {
	now := s.Now()
	if !b.Changeable(now) || b.Status != StatusBooked {
		return ErrNotCancelled
	}
	res, err := s.candidates(ctx, r, b)
	if err != nil {
		return err
	}
	old := *b
	moved := *b
	moved.Start, moved.End = r.Start.UTC(), r.Start.Add(r.Type.Duration).UTC()
	moved.BusyUntil = moved.End.Add(r.Agenda.Buffer)
	moved.Sequence++
	moved.UpdatedAt = now
	if res = s.claimFirst(&moved, res, &old); res == nil {
		return ErrSlotTaken
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := s.release(ctx, tx, &old); err != nil {
			return err
		}
		ok, err := s.occupy(ctx, tx, &moved, res, &old)
		if err != nil || !ok {
			return errors.Join(err, ErrSlotTaken)
		}
		n, err := db.Affected(ctx, tx, `UPDATE appointment_bookings SET resource_id = ?, starts_at = ?, ends_at = ?, busy_until = ?,
			sequence = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND status = ? AND sequence = ?`, moved.ResourceID,
			moved.Start, moved.End, moved.BusyUntil, moved.Sequence, now, b.TenantID, b.ID, StatusBooked, old.Sequence)
		if err != nil {
			return fmt.Errorf("appointment: move: %w", err)
		}
		if n == 0 {
			return ErrNotCancelled
		}
		if _, err := s.jobs.InsertTx(ctx, tx, notifyArgs{TenantID: b.TenantID, BookingID: b.ID, Event: EventMoved}, nil); err != nil {
			return err
		}
		return s.queueOffer(ctx, tx, &old)
	})
	if err != nil {
		s.unclaim(&moved, "")
		return err
	}
	s.noteBusy(ctx, &old, false)
	s.noteBusy(ctx, &moved, true)
	s.unclaim(&moved, moved.ResourceID)
	*b = moved
	return nil
}

// SetStatus records what happened at the counter: arrived, done or no-show.
func (s *Store) SetStatus(ctx context.Context, tenantID, id, status string) (*Booking, error) {
	switch status {
	case StatusArrived, StatusDone, StatusNoShow, StatusBooked:
	default:
		return nil, guichet.Invalid(map[string]string{"status": "Statut inconnu."})
	}
	// Once seen at the counter, the appointment no longer holds the person's turn.
	res, err := s.db.Exec(ctx, `UPDATE appointment_bookings SET status = ?, updated_at = ?,
		holder_key = CASE WHEN ? = 'booked' THEN holder_key ELSE NULL END,
		ants_key = CASE WHEN ? = 'booked' THEN ants_key ELSE NULL END
		WHERE tenant_id = ? AND id = ? AND status IN (?, ?, ?, ?)`, status, s.Now(), status, status, tenantID, id,
		StatusBooked, StatusArrived, StatusDone, StatusNoShow)
	if err != nil {
		return nil, fmt.Errorf("appointment: set status: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, ErrNotFound
	}
	return s.Get(ctx, tenantID, id)
}

// Bookings returns the bookings of an agenda on a local day (cancelled ones
// included), by start then resource.
func (s *Store) Bookings(ctx context.Context, a *Agenda, loc *time.Location, from, to Day) ([]*Booking, error) {
	return s.list(ctx, `WHERE tenant_id = ? AND agenda_id = ? AND starts_at >= ? AND starts_at < ?
		ORDER BY starts_at, resource_id`, a.TenantID, a.ID, from.Time(loc).UTC(), to.AddDays(1).Time(loc).UTC())
}

// OfUser returns a resident's bookings, the latest first.
func (s *Store) OfUser(ctx context.Context, tenantID, userID string) ([]*Booking, error) {
	return s.list(ctx, `WHERE tenant_id = ? AND user_id = ? ORDER BY starts_at DESC LIMIT 100`, tenantID, userID)
}

func (s *Store) list(ctx context.Context, where string, args ...any) ([]*Booking, error) {
	rows, err := s.db.Query(ctx, `SELECT `+bookingColumns+` FROM appointment_bookings `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("appointment: bookings: %w", err)
	}
	defer rows.Close()
	var out []*Booking
	for rows.Next() {
		b, err := scanBooking(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// ErrNotHere: the appointment checked in is for a service the kiosk's
// site does not receive.
var ErrNotHere = errors.New("appointment: checked in at another service's site")

// CheckIn marks arrived the booking of today (in loc) with reference, as
// printed in its confirmation and in its QR code, when its agenda's staff
// service is one of services, and returns it with that service.
func (s *Store) CheckIn(ctx context.Context, tenantID, reference string, loc *time.Location, services []string) (b *Booking, serviceKey string, err error) {
	reference = strings.ToUpper(strings.TrimSpace(reference))
	if reference == "" || len(reference) > 40 {
		return nil, "", ErrNotFound
	}
	now := s.Now().In(loc)
	dayStart := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	b, err = s.one(ctx, `WHERE tenant_id = ? AND reference = ? AND status IN (?, ?) AND starts_at >= ? AND starts_at < ?`,
		tenantID, reference, StatusBooked, StatusArrived, dayStart.UTC(), dayStart.AddDate(0, 0, 1).UTC())
	if err != nil {
		return nil, "", err
	}
	if err := s.db.QueryRow(ctx, `SELECT service_key FROM appointment_agendas WHERE tenant_id = ? AND id = ?`, tenantID, b.AgendaID).Scan(&serviceKey); err != nil {
		return nil, "", fmt.Errorf("appointment: check-in: %w", err)
	}
	if !slices.Contains(services, serviceKey) {
		return nil, "", ErrNotHere
	}
	if b.Status == StatusBooked {
		if b, err = s.SetStatus(ctx, tenantID, b.ID, StatusArrived); err != nil {
			return nil, "", err
		}
	}
	return b, serviceKey, nil
}
