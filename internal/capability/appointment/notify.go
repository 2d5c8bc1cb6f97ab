package appointment

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/riverqueue/river"

	"guichet"
	"guichet/internal/kernel/jobs"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/qr"
	"guichet/internal/kernel/tenant"
)

//go:embed mail
var mailFiles embed.FS

// MailFiles holds the module's email templates (mail/*.txt), to add to the
// outbox's registry as module "appointment".
func MailFiles() fs.FS { return mailFiles }

// Events a booking's emails tell.
const (
	EventConfirmed = "confirmed"
	EventMoved     = "moved"
	EventCancelled = "cancelled"
	EventOffer     = "offer"
	EventHold      = "hold" // a guest's booking to confirm
)

// TenantGetter finds a collectivité (name, contact, time zone) for emails.
type TenantGetter interface {
	Get(ctx context.Context, id string) (*tenant.Tenant, error)
}

// Wire connects the store to the job queue (which its writes use) and to
// the outbox, and registers its workers; call it before the queue starts.
func (s *Store) Wire(q *jobs.Queue, m mail.Enqueuer, tenants TenantGetter) error {
	s.jobs, s.mail, s.tenants = q, m, tenants
	return errors.Join(
		jobs.AddFunc(q, s.notify),
		jobs.AddFunc(q, s.remind),
		jobs.AddFunc(q, s.offer),
		jobs.AddFunc(q, s.expire),
		q.Periodic("appointment-confirmations", ConfirmSweepEvery, s.QueueConfirmations),
		q.Periodic("appointment-holds", HoldSweepEvery, s.ReleaseEndedHolds),
	)
}

// notifyArgs is the job that emails a booking's confirmation, change,
// cancellation or waiting-list offer.
type notifyArgs struct {
	TenantID  string `json:"tenant_id"`
	BookingID string `json:"booking_id"`
	Event     string `json:"event"`
}

// Kind implements river.JobArgs.
func (notifyArgs) Kind() string { return "appointment_notify" }

// reminderArgs is the job, scheduled ahead, that reminds a booking.
type reminderArgs struct {
	TenantID  string `json:"tenant_id"`
	BookingID string `json:"booking_id"`
	Start     int64  `json:"start"` // the start it was scheduled for: a moved booking's old reminders do nothing
	Before    int    `json:"before"`
}

// Kind implements river.JobArgs.
func (reminderArgs) Kind() string { return "appointment_reminder" }

// view gathers what a booking's emails show.
type view struct {
	b   *Booking
	a   *Agenda
	typ *Type
	t   *tenant.Tenant
}

func (s *Store) load(ctx context.Context, tenantID, bookingID string) (*view, error) {
	b, err := s.Get(ctx, tenantID, bookingID)
	if err != nil {
		return nil, err
	}
	a, err := s.Agenda(ctx, tenantID, b.AgendaID)
	if err != nil {
		return nil, err
	}
	typ := a.Type(b.TypeID)
	if typ == nil {
		return nil, ErrNotFound
	}
	t, err := s.tenants.Get(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	return &view{b: b, a: a, typ: typ, t: t}, nil
}

func (s *Store) notify(ctx context.Context, job *river.Job[notifyArgs]) error {
	v, err := s.load(ctx, job.Args.TenantID, job.Args.BookingID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	b := v.b
	switch job.Args.Event {
	case EventConfirmed, EventMoved:
		if b.Status != StatusBooked {
			return nil
		}
		if err := s.scheduleReminders(ctx, v); err != nil {
			return err
		}
		return s.send(ctx, v, job.Args.Event, "REQUEST")
	case EventCancelled:
		return s.send(ctx, v, EventCancelled, "CANCEL")
	case EventOffer:
		if b.Status != StatusHeld {
			return nil
		}
		return s.send(ctx, v, EventOffer, "")
	case EventHold:
		if b.Status != StatusPending || b.HoldUntil == nil || !s.Now().Before(*b.HoldUntil) {
			return nil
		}
		return s.send(ctx, v, EventHold, "")
	}
	return river.JobCancel(fmt.Errorf("appointment: unknown event %q", job.Args.Event))
}

func (s *Store) scheduleReminders(ctx context.Context, v *view) error {
	now := s.Now()
	for _, d := range v.a.Reminders {
		at := v.b.Start.Add(-d)
		if !at.After(now) {
			continue
		}
		_, err := s.jobs.Insert(ctx, reminderArgs{TenantID: v.b.TenantID, BookingID: v.b.ID, Start: v.b.Start.Unix(),
			Before: int(d / time.Minute)}, &river.InsertOpts{ScheduledAt: at, UniqueOpts: river.UniqueOpts{ByArgs: true}})
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) remind(ctx context.Context, job *river.Job[reminderArgs]) error {
	v, err := s.load(ctx, job.Args.TenantID, job.Args.BookingID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if v.b.Status != StatusBooked || v.b.Start.Unix() != job.Args.Start {
		return nil // cancelled or moved since
	}
	return s.send(ctx, v, "reminder", "")
}

// send emails the booking's person, with an .ics when method is set.
func (s *Store) send(ctx context.Context, v *view, template, method string) error {
	b := v.b
	if b.Email == "" {
		return nil // booked by phone without an address
	}
	loc := v.t.Location()
	lang := mail.NormalizeLang(b.Lang)
	start := b.Start.In(loc)
	data := map[string]any{
		"Name": b.Name, "Reference": b.Reference, "Service": v.a.Service, "Agenda": v.a.Name, "Place": v.a.Place,
		"Type": v.typ.Name, "Date": guichet.LongDate(start, lang), "Time": start.Format("15:04"), "Minutes": v.typ.Minutes(),
		"Documents": v.typ.DocumentList(), "ANTS": b.ANTS, "ManageURL": b.SiteURL + "/rendez-vous/gerer/" + s.ManageToken(b),
		"HoldUntil": "", "ConfirmURL": "",
	}
	if b.HoldUntil != nil {
		h := b.HoldUntil.In(loc)
		data["HoldUntil"] = guichet.LongDate(h, lang) + " " + h.Format("15:04")
	}
	if b.Status == StatusPending {
		data["ConfirmURL"] = data["ManageURL"].(string) + "/confirmer/" + s.ConfirmCode(b)
	}
	m := mail.Message{TenantID: b.TenantID, To: b.Email, Template: "appointment/" + template, Lang: lang, Data: data}
	if method != "" {
		inv := &Invitation{UID: b.ID + "@" + hostOf(b.SiteURL), Sequence: b.Sequence, Method: method, Start: b.Start,
			End: b.End, Summary: v.typ.Name + " – " + v.a.Name, Location: v.a.Place,
			Description: "Réf. " + b.Reference + "\n" + data["ManageURL"].(string), Organizer: organizer(v.t),
			OrgName: v.t.Name, Attendee: b.Email, AttName: b.Name, Stamp: s.Now()}
		m.Attachments = []mail.Attachment{{Name: "rendez-vous.ics",
			ContentType: "text/calendar; charset=utf-8; method=" + method, Data: inv.ICS()}}
	}
	if method == "REQUEST" && b.Status == StatusBooked {
		// The code a kiosk's scanner reads to check the resident in.
		code, err := qr.PNG(b.Reference, 6)
		if err != nil {
			return err
		}
		m.Attachments = append(m.Attachments, mail.Attachment{Name: "code-rendez-vous.png", ContentType: "image/png", Data: code})
	}
	return s.mail.Enqueue(ctx, m)
}

func organizer(t *tenant.Tenant) string {
	if t.Email != "" {
		return t.Email
	}
	return "mairie@" + t.Slug + ".invalid"
}

func hostOf(siteURL string) string {
	for _, p := range []string{"https://", "http://"} {
		if len(siteURL) > len(p) && siteURL[:len(p)] == p {
			siteURL = siteURL[len(p):]
		}
	}
	for i, c := range siteURL {
		if c == '/' || c == ':' {
			return siteURL[:i]
		}
	}
	if siteURL == "" {
		return "guichet"
	}
	return siteURL
}
