package queue

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/live"
)

// Topic is the live topic of a site's queue: boards, consoles and remote
// tickets follow it.
func Topic(siteID string) string { return "site:" + siteID }

// Call is what boards show of a ticket called to a counter.
type Call struct {
	Label   string    `json:"label"`
	Counter string    `json:"counter"`
	Service string    `json:"service"`
	At      time.Time `json:"at"`
}

// tell publishes a change of a site's queue; a lost signal costs a board
// one refresh, so a failure is not the caller's.
func (s *Store) tell(ctx context.Context, tenantID, siteID, name, data string) {
	if s.Live == nil {
		return
	}
	_ = s.Live.Publish(context.WithoutCancel(ctx), live.Event{TenantID: tenantID, Topic: Topic(siteID), Name: name, Data: data})
}

func (s *Store) tellCall(ctx context.Context, t *Ticket, service string) {
	b, _ := json.Marshal(Call{Label: t.Label, Counter: t.CounterName, Service: service, At: s.now()})
	s.tell(ctx, t.TenantID, t.SiteID, "appel", string(b))
}

// Day is the local day a ticket belongs to.
func Day(at time.Time, loc *time.Location) string { return at.In(loc).Format(time.DateOnly) }

// TakeInput is a ticket request.
type TakeInput struct {
	Site      *Site
	ServiceID string
	Source    string
	// Priority is Normal or, where the site allows it, Priority.
	Priority int
	// Email, optional on a phone, is told when the turn is near.
	Email, Lang string
	// Loc is the collectivité's zone: tickets are numbered per local day.
	Loc *time.Location
	// EligibleAt and AppointmentRef are set for a checked-in appointment.
	EligibleAt     time.Time
	AppointmentRef string
}

// Take gives the next number of the service for the day, in one
// transaction with the ticket: two kiosks taking a ticket at the same
// instant get two numbers that follow each other.
func (s *Store) Take(ctx context.Context, in TakeInput) (*Ticket, error) {
	site := in.Site
	errs := map[string]string{}
	svc := site.Service(in.ServiceID)
	if svc == nil {
		errs["service"] = "Choisissez un service."
	}
	in.Email = strings.TrimSpace(in.Email)
	if in.Email != "" && (len(in.Email) > 254 || !strings.Contains(in.Email, "@") || strings.ContainsAny(in.Email, " \r\n<>")) {
		errs["email"] = "Indiquez une adresse électronique valide, ou laissez le champ vide."
	}
	if len(errs) > 0 {
		return nil, guichet.Invalid(errs)
	}
	if in.Priority == Priority && !site.PriorityAllowed {
		in.Priority = Normal
	}
	if in.Lang != "en" {
		in.Lang = "fr"
	}
	now := s.now()
	t := &Ticket{ID: uuid.NewString(), TenantID: site.TenantID, SiteID: site.ID, ServiceID: svc.ID, Day: Day(now, in.Loc),
		Source: in.Source, Priority: in.Priority, State: Waiting, Email: in.Email, Lang: in.Lang, AppointmentRef: in.AppointmentRef,
		CreatedAt: now, QueuedAt: now, EligibleAt: now, Estimate: -1}
	if in.EligibleAt.After(now) {
		t.EligibleAt = in.EligibleAt.UTC()
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO queue_numbers (service_id, day, last) VALUES (?, ?, 1)
			ON CONFLICT (service_id, day) DO UPDATE SET last = queue_numbers.last + 1 RETURNING last`, svc.ID, t.Day).Scan(&t.Number); err != nil {
			return fmt.Errorf("queue: number: %w", err)
		}
		t.Label = fmt.Sprintf("%s%03d", svc.Letter, t.Number)
		est, err := s.estimate(ctx, tx, site, svc, t, now)
		if err != nil {
			return err
		}
		t.Estimate = est.Wait
		_, err = tx.Exec(ctx, `INSERT INTO queue_tickets (id, tenant_id, site_id, service_id, day, number, label, source, priority, state,
			email, lang, appointment_ref, estimate_seconds, created_at, queued_at, eligible_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			t.ID, t.TenantID, t.SiteID, t.ServiceID, t.Day, t.Number, t.Label, t.Source, t.Priority, t.State,
			t.Email, t.Lang, t.AppointmentRef, seconds(t.Estimate), t.CreatedAt, t.QueuedAt, t.EligibleAt)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("queue: take: %w", err)
	}
	s.tell(ctx, t.TenantID, t.SiteID, "file", "")
	return t, nil
}

func seconds(d time.Duration) int {
	if d < 0 {
		return -1
	}
	return int(d / time.Second)
}

const ticketColumns = `id, tenant_id, site_id, service_id, day, number, label, source, priority, state, email, lang, appointment_ref,
	for_counter, counter_id, counter_name, outcome, recalls, estimate_seconds, near_told, created_at, queued_at, eligible_at, called_at, ended_at`

func scanTicket(row interface{ Scan(...any) error }) (*Ticket, error) {
	var t Ticket
	var est int
	var called, ended sql.NullTime
	err := row.Scan(&t.ID, &t.TenantID, &t.SiteID, &t.ServiceID, &t.Day, &t.Number, &t.Label, &t.Source, &t.Priority, &t.State,
		&t.Email, &t.Lang, &t.AppointmentRef, &t.ForCounter, &t.CounterID, &t.CounterName, &t.Outcome, &t.Recalls, &est, &t.NearTold,
		&t.CreatedAt, &t.QueuedAt, &t.EligibleAt, &called, &ended)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	t.Estimate = -1
	if est >= 0 {
		t.Estimate = time.Duration(est) * time.Second
	}
	if called.Valid {
		t.CalledAt = &called.Time
	}
	if ended.Valid {
		t.EndedAt = &ended.Time
	}
	return &t, nil
}

// Ticket returns a ticket by id.
func (s *Store) Ticket(ctx context.Context, tenantID, id string) (*Ticket, error) {
	return scanTicket(s.db.QueryRow(ctx, `SELECT `+ticketColumns+` FROM queue_tickets WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// Cancel withdraws a waiting ticket of site (the visitor left); those
// behind it move up, and may be told their turn is near.
func (s *Store) Cancel(ctx context.Context, site *Site, t *Ticket) error {
	res, err := s.db.Exec(ctx, `UPDATE queue_tickets SET state = ?, ended_at = ? WHERE tenant_id = ? AND id = ? AND state = ?`,
		Cancelled, s.now(), t.TenantID, t.ID, Waiting)
	if err != nil {
		return fmt.Errorf("queue: cancel: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotWaiting
	}
	t.State = Cancelled
	s.tell(ctx, t.TenantID, t.SiteID, "file", "")
	s.tellNear(ctx, site)
	return nil
}

// Status is where a ticket stands, for its holder.
type Status struct {
	Label    string `json:"label"`
	State    string `json:"state"`
	Service  string `json:"service"`
	Position int    `json:"position"` // people before it; 0: next
	// Wait is the estimated wait in minutes, -1 when no counter serves
	// the service right now.
	Wait    int    `json:"wait"`
	Counter string `json:"counter,omitempty"`
	Near    bool   `json:"near"`
}

// StatusOf returns where t stands now.
func (s *Store) StatusOf(ctx context.Context, site *Site, t *Ticket, lang string) (*Status, error) {
	svc := site.Service(t.ServiceID)
	if svc == nil {
		return nil, ErrTicketNotFound
	}
	st := &Status{Label: t.Label, State: t.State, Service: svc.Title(lang), Counter: t.CounterName, Wait: -1}
	if t.State != Waiting {
		return st, nil
	}
	est, err := s.estimate(ctx, s.db, site, svc, t, s.now())
	if err != nil {
		return nil, err
	}
	st.Position, st.Wait = est.Ahead, minutes(est.Wait)
	st.Near = est.Ahead < site.NearTurn
	return st, nil
}

// minutes rounds a wait up to whole minutes (-1 stays unknown).
func minutes(d time.Duration) int {
	if d < 0 {
		return -1
	}
	return int((d + time.Minute - 1) / time.Minute)
}

// Arrival is today's appointment that its holder announced at a kiosk
// (the appointment capability finds it, see kernel.CheckIn).
type Arrival struct {
	Reference  string
	ServiceKey string // the staff service of its agenda
	Start      time.Time
}

// CheckIn queues a checked-in appointment at the site's service that
// serves its staff service, with the appointments' priority from its time.
func (s *Store) CheckIn(ctx context.Context, site *Site, a *Arrival, lang string, loc *time.Location) (*Ticket, error) {
	var svc *Service
	for i := range site.Services {
		if a.ServiceKey != "" && site.Services[i].AppointmentService == a.ServiceKey {
			svc = &site.Services[i]
			break
		}
	}
	if svc == nil {
		return nil, ErrCheckInElsewhere
	}
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM queue_tickets WHERE tenant_id = ? AND appointment_ref = ? AND day = ? AND state IN (?, ?)`,
		site.TenantID, a.Reference, Day(s.now(), loc), Waiting, Called).Scan(&n); err != nil {
		return nil, fmt.Errorf("queue: check-in: %w", err)
	}
	if n > 0 {
		return nil, guichet.Errorf(guichet.EConflict, "Ce rendez-vous est déjà enregistré : gardez votre ticket, vous serez appelé à l'heure.")
	}
	return s.Take(ctx, TakeInput{Site: site, ServiceID: svc.ID, Source: FromAppointment, Priority: Appointment, Lang: lang, Loc: loc,
		EligibleAt: a.Start, AppointmentRef: a.Reference})
}
