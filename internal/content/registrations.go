package content

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/db"
)

// Registration statuses: a seat, a place on the waiting list, or given up.
const (
	RegConfirmed = "confirmed"
	RegWaiting   = "waiting"
	RegCancelled = "cancelled"
)

// Registration is one person's registration to an event.
type Registration struct {
	ID, EventID, Name, Email, Status string
	CreatedAt                        time.Time
}

// SetEventStatus publishes (now), unpublishes or puts back to draft an
// event by the rule news and pages follow; cancel instead marks it
// cancelled (it stays visible, marked, and feeds say CANCELLED).
func (s *Store) SetEventStatus(ctx context.Context, tenantID, id, status string, cancel bool, loc *time.Location, author string) (*Event, error) {
	e, err := s.EventByID(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	if cancel {
		e.Cancelled = true
		return e, s.SaveEvent(ctx, e, loc, author, "cancelled")
	}
	change, err := statusChange(status)
	if err != nil {
		return nil, err
	}
	pub, action := Publication{e.Status, e.PublishAt}.Change(change, nil, s.now())
	e.Status, e.PublishAt = pub.Status, pub.PublishAt
	return e, s.SaveEvent(ctx, e, loc, author, action)
}

// Register books a seat for name and email, or a place on the waiting list
// when the event is full, and returns the registration and the secret
// token of its cancellation link.
func (s *Store) Register(ctx context.Context, tenantID, slug, name, email string) (*Registration, string, error) {
	e, err := s.PublicEvent(ctx, tenantID, slug)
	if err != nil {
		return nil, "", err
	}
	errs := map[string]string{}
	name = strings.TrimSpace(name)
	checkText(errs, "name", name, 1, 120, "Indiquez votre nom.", "Le nom dépasse 120 caractères.")
	addr, perr := mail.ParseAddress(strings.TrimSpace(email))
	if perr != nil || addr.Name != "" {
		errs["email"] = "Indiquez une adresse électronique valide, par exemple nom@exemple.fr."
	}
	if len(errs) > 0 {
		return nil, "", guichet.Invalid(errs)
	}
	if !e.Registration || e.Cancelled || e.End.Before(s.now()) {
		return nil, "", guichet.Errorf(guichet.EConflict, "Les inscriptions à cet événement sont fermées.")
	}
	token := newToken()
	r := &Registration{ID: uuid.NewString(), EventID: e.ID, Name: name, Email: strings.ToLower(addr.Address), CreatedAt: s.now()}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if tx.Dialect() == db.Postgres { // one registration at a time per event
			if _, err := tx.Exec(ctx, `SELECT id FROM content_events WHERE tenant_id = ? AND id = ? FOR UPDATE`, tenantID, e.ID); err != nil {
				return err
			}
		}
		var taken int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM content_registrations WHERE tenant_id = ? AND event_id = ? AND status = ?`,
			tenantID, e.ID, RegConfirmed).Scan(&taken); err != nil {
			return err
		}
		r.Status = RegConfirmed
		if taken >= e.Capacity {
			r.Status = RegWaiting
		}
		_, err := tx.Exec(ctx, `INSERT INTO content_registrations (id, tenant_id, event_id, name, email, status, token_hash, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.ID, tenantID, e.ID, r.Name, r.Email, r.Status, hashToken(token), r.CreatedAt)
		return err
	})
	if db.IsUniqueViolation(err) {
		return nil, "", guichet.Invalid(map[string]string{"email": "Cette adresse est déjà inscrite à cet événement."})
	}
	if err != nil {
		return nil, "", err
	}
	return r, token, nil
}

// CancelRegistration gives up a registration by its link's token; the
// first person waiting gets the seat, and is returned to be told.
func (s *Store) CancelRegistration(ctx context.Context, tenantID, token string) (*Registration, error) {
	var promoted *Registration
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var id, eventID, status string
		err := tx.QueryRow(ctx, `SELECT id, event_id, status FROM content_registrations WHERE tenant_id = ? AND token_hash = ?`,
			tenantID, hashToken(token)).Scan(&id, &eventID, &status)
		if err != nil {
			return ErrNotFound
		}
		if status == RegCancelled {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE content_registrations SET status = ? WHERE tenant_id = ? AND id = ?`, RegCancelled, tenantID, id); err != nil {
			return err
		}
		if status != RegConfirmed {
			return nil
		}
		var p Registration
		err = tx.QueryRow(ctx, `SELECT id, event_id, name, email FROM content_registrations WHERE tenant_id = ? AND event_id = ?
			AND status = ? ORDER BY created_at, id LIMIT 1`, tenantID, eventID, RegWaiting).Scan(&p.ID, &p.EventID, &p.Name, &p.Email)
		if err != nil {
			return nil // nobody waiting
		}
		p.Status, promoted = RegConfirmed, &p
		_, err = tx.Exec(ctx, `UPDATE content_registrations SET status = ? WHERE tenant_id = ? AND id = ?`, RegConfirmed, tenantID, p.ID)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return nil, ErrNotFound
	}
	return promoted, err
}

// Seats returns how many seats are taken and how many people wait.
func (s *Store) Seats(ctx context.Context, tenantID, eventID string) (taken, waiting int, err error) {
	rows, err := s.db.Query(ctx, `SELECT status, COUNT(*) FROM content_registrations WHERE tenant_id = ? AND event_id = ?
		AND status <> ? GROUP BY status`, tenantID, eventID, RegCancelled)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return 0, 0, err
		}
		if st == RegConfirmed {
			taken = n
		} else {
			waiting = n
		}
	}
	return taken, waiting, rows.Err()
}

// Registrations lists an event's registrations for editors, in order.
func (s *Store) Registrations(ctx context.Context, tenantID, eventID string) ([]Registration, error) {
	rows, err := s.db.Query(ctx, `SELECT id, event_id, name, email, status, created_at FROM content_registrations
		WHERE tenant_id = ? AND event_id = ? ORDER BY created_at, id LIMIT 5000`, tenantID, eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Registration
	for rows.Next() {
		var r Registration
		if err := rows.Scan(&r.ID, &r.EventID, &r.Name, &r.Email, &r.Status, &r.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// newToken returns a secret for a link; only its hash is stored.
func newToken() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
