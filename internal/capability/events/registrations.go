package events

import (
	"context"
	"errors"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tokens"
	"guichet/internal/publishing"
)

// Registration statuses: a seat, a place on the waiting list, or given up.
const (
	RegConfirmed = "confirmed"
	RegWaiting   = "waiting"
	RegCancelled = "cancelled"
)

// Registration is one person's registration to one date of an event.
type Registration struct {
	ID, EventID, Name, Email, Status string
	Occurrence                       time.Time // start of the date registered for
	Lang                             string    // of the person's emails
	CreatedAt                        time.Time
}

// RegistrationRequest asks for a seat at the date of an event starting at
// Occurrence (zero: the event's first date to come).
type RegistrationRequest struct {
	Slug        string
	Occurrence  time.Time
	Name, Email string
	Lang        string
	Loc         *time.Location // the collectivité's zone, in which the mail writes the date
	BaseURL     string         // the collectivité's address, for the mail's cancellation link
}

// SetStatus publishes (now), unpublishes or puts back to draft an
// event by the rule news and pages follow; cancel instead marks it
// cancelled (it stays visible, marked, and feeds say CANCELLED).
func (s *Store) SetStatus(ctx context.Context, tenantID, id, status string, cancel bool, loc *time.Location, author string) (*Event, error) {
	e, err := s.ByID(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	if cancel {
		e.Cancelled = true
		return e, s.Save(ctx, e, loc, author, "cancelled")
	}
	change, err := publishing.StatusChange(status)
	if err != nil {
		return nil, err
	}
	pub, action := e.Publication().Change(change, nil, s.Stamp())
	e.Status, e.PublishAt = pub.Status, pub.PublishAt
	return e, s.Save(ctx, e, loc, author, action)
}

// ListedDates is how many dates of a repeating event its page lists.
const ListedDates = 12

// OpenDates returns the dates of e still open to registration at now, at
// most as many as its page lists.
func (e *Event) OpenDates(loc *time.Location, now time.Time) []Occurrence {
	if !e.Registration || e.Cancelled {
		return nil
	}
	var out []Occurrence
	for _, o := range e.Occurrences(loc) {
		if o.End.After(now) && len(out) < ListedDates {
			out = append(out, o)
		}
	}
	return out
}

// Register books a seat at one date of an event for name and email, or a
// place on that date's waiting list when it is full, mails its
// cancellation link, and returns the registration and the link's secret
// token.
func (s *Store) Register(ctx context.Context, tenantID string, req RegistrationRequest) (*Registration, string, error) {
	e, err := s.Public(ctx, tenantID, req.Slug)
	if err != nil {
		return nil, "", err
	}
	errs := map[string]string{}
	name := strings.TrimSpace(req.Name)
	publishing.CheckText(errs, "name", name, 1, 120, "Indiquez votre nom.", "Le nom dépasse 120 caractères.")
	addr, perr := mail.ParseAddress(strings.TrimSpace(req.Email))
	if perr != nil || addr.Name != "" {
		errs["email"] = "Indiquez une adresse électronique valide, par exemple nom@exemple.fr."
	}
	dates := e.OpenDates(req.Loc, s.Stamp())
	if len(dates) == 0 {
		return nil, "", guichet.Errorf(guichet.EConflict, "Les inscriptions à cet événement sont fermées.")
	}
	occurrence := dates[0].Start
	if !req.Occurrence.IsZero() {
		i := slices.IndexFunc(dates, func(o Occurrence) bool { return o.Start.Equal(req.Occurrence) })
		if i < 0 {
			errs["date"] = "Choisissez une des dates proposées."
		} else {
			occurrence = dates[i].Start
		}
	}
	if len(errs) > 0 {
		return nil, "", guichet.Invalid(errs)
	}
	token := tokens.New(24)
	r := &Registration{ID: uuid.NewString(), EventID: e.ID, Name: name, Email: strings.ToLower(addr.Address),
		Occurrence: occurrence.UTC(), Lang: publishing.MailLang(req.Lang), CreatedAt: s.Stamp()}
	err = s.DB().InTx(ctx, func(tx *db.Tx) error {
		if tx.Dialect() == db.Postgres { // one registration at a time per event
			if _, err := tx.Exec(ctx, `SELECT id FROM content_events WHERE tenant_id = ? AND id = ? FOR UPDATE`, tenantID, e.ID); err != nil {
				return err
			}
		}
		var taken int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM content_registrations WHERE tenant_id = ? AND event_id = ?
			AND occurrence_start = ? AND status = ?`, tenantID, e.ID, r.Occurrence, RegConfirmed).Scan(&taken); err != nil {
			return err
		}
		r.Status = RegConfirmed
		if taken >= e.Capacity {
			r.Status = RegWaiting
		}
		_, err := tx.Exec(ctx, `INSERT INTO content_registrations (id, tenant_id, event_id, occurrence_start, name, email, lang,
			status, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, tenantID, e.ID, r.Occurrence, r.Name,
			r.Email, r.Lang, r.Status, tokens.Hash(token), r.CreatedAt)
		return err
	})
	if db.IsUniqueViolation(err) {
		return nil, "", guichet.Invalid(map[string]string{"email": "Cette adresse est déjà inscrite à cette date."})
	}
	if err != nil {
		return nil, "", err
	}
	return r, token, s.Send(ctx, tenantID, r.Email, "events/registration", r.Lang, map[string]any{"Event": e.Title,
		"Date": e.DateText(req.Loc, r.Lang, e.OccurrenceAt(r.Occurrence)).Label(), "Waiting": r.Status == RegWaiting,
		"CancelURL": req.BaseURL + "/inscriptions/" + token})
}

// CancelRegistration gives up a registration by its link's token; the
// first person waiting for the same date gets the seat, and is mailed
// (the date written in loc, the event's link under baseURL) and returned.
func (s *Store) CancelRegistration(ctx context.Context, tenantID, token string, loc *time.Location, baseURL string) (*Registration, error) {
	var promoted *Registration
	err := s.DB().InTx(ctx, func(tx *db.Tx) error {
		var id, eventID, status string
		var occurrence time.Time
		err := tx.QueryRow(ctx, `SELECT id, event_id, occurrence_start, status FROM content_registrations
			WHERE tenant_id = ? AND token_hash = ?`, tenantID, tokens.Hash(token)).Scan(&id, &eventID, &occurrence, &status)
		if err != nil {
			return publishing.ErrNotFound
		}
		promoted, err = withdraw(ctx, tx, tenantID, id, eventID, occurrence, status)
		return err
	})
	if errors.Is(err, publishing.ErrNotFound) {
		return nil, publishing.ErrNotFound
	}
	if err != nil || promoted == nil {
		return promoted, err
	}
	e, err := s.ByID(ctx, tenantID, promoted.EventID)
	if err != nil {
		return promoted, err
	}
	return promoted, s.Send(ctx, tenantID, promoted.Email, "events/registration_promoted", promoted.Lang, map[string]any{
		"Event": e.Title, "Date": e.DateText(loc, promoted.Lang, e.OccurrenceAt(promoted.Occurrence)).Label(), "URL": baseURL + e.URL()})
}

// withdraw cancels registration id and, when it held a seat, gives the
// seat to the first person waiting for the same date, whom it returns.
func withdraw(ctx context.Context, tx *db.Tx, tenantID, id, eventID string, occurrence time.Time, status string) (*Registration, error) {
	if status == RegCancelled {
		return nil, nil
	}
	if _, err := tx.Exec(ctx, `UPDATE content_registrations SET status = ? WHERE tenant_id = ? AND id = ?`, RegCancelled, tenantID, id); err != nil {
		return nil, err
	}
	if status != RegConfirmed {
		return nil, nil
	}
	p := Registration{EventID: eventID}
	err := tx.QueryRow(ctx, `SELECT id, name, email, occurrence_start, lang FROM content_registrations
		WHERE tenant_id = ? AND event_id = ? AND occurrence_start = ? AND status = ? ORDER BY created_at, id LIMIT 1`,
		tenantID, eventID, occurrence, RegWaiting).Scan(&p.ID, &p.Name, &p.Email, &p.Occurrence, &p.Lang)
	if err != nil {
		return nil, nil // nobody waiting
	}
	if _, err := tx.Exec(ctx, `UPDATE content_registrations SET status = ? WHERE tenant_id = ? AND id = ?`, RegConfirmed, tenantID, p.ID); err != nil {
		return nil, err
	}
	p.Status, p.Occurrence = RegConfirmed, p.Occurrence.UTC()
	return &p, nil
}

// Seats counts, for one date of an event, the seats taken and the people waiting.
type Seats struct{ Taken, Waiting int }

// SeatsByDate returns the seats of each date of an event, keyed by the
// date's start in Unix seconds.
func (s *Store) SeatsByDate(ctx context.Context, tenantID, eventID string) (map[int64]Seats, error) {
	rows, err := s.DB().Query(ctx, `SELECT occurrence_start, status, COUNT(*) FROM content_registrations
		WHERE tenant_id = ? AND event_id = ? AND status <> ? GROUP BY occurrence_start, status`, tenantID, eventID, RegCancelled)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]Seats{}
	for rows.Next() {
		var at time.Time
		var st string
		var n int
		if err := rows.Scan(&at, &st, &n); err != nil {
			return nil, err
		}
		seats := out[at.Unix()]
		if st == RegConfirmed {
			seats.Taken = n
		} else {
			seats.Waiting = n
		}
		out[at.Unix()] = seats
	}
	return out, rows.Err()
}

// Registrations lists an event's registrations for editors, by date and
// in order of arrival.
func (s *Store) Registrations(ctx context.Context, tenantID, eventID string) ([]Registration, error) {
	rows, err := s.DB().Query(ctx, `SELECT id, event_id, occurrence_start, name, email, status, lang, created_at
		FROM content_registrations WHERE tenant_id = ? AND event_id = ? ORDER BY occurrence_start, created_at, id LIMIT 5000`,
		tenantID, eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Registration
	for rows.Next() {
		var r Registration
		if err := rows.Scan(&r.ID, &r.EventID, &r.Occurrence, &r.Name, &r.Email, &r.Status, &r.Lang, &r.CreatedAt); err != nil {
			return nil, err
		}
		r.Occurrence = r.Occurrence.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}
