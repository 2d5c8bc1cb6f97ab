package appointment_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"guichet/internal/capability/appointment"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/jobs"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
)

var sets = []db.Migrations{tenant.Migrations, mail.Migrations, appointment.Migrations}

// sentMail records what the store enqueues.
type sentMail struct {
	mu   sync.Mutex
	msgs []mail.Message
}

func (m *sentMail) Enqueue(_ context.Context, msg mail.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs = append(m.msgs, msg)
	return nil
}

type env struct {
	s      *appointment.Store
	q      *jobs.Queue
	mail   *sentMail
	tenant *tenant.Tenant
	agenda *appointment.Agenda
	loc    *time.Location
	now    time.Time
}

// newEnv creates a town with an agenda of two counters open on weekdays
// 09:00–12:00, 20-minute steps, and the clock on Monday 2 February 2026 at 08:00.
func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	ctx := context.Background()
	tn, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "montclair", Name: "Ville de Montclair",
		Kind: tenant.KindCommune, Email: "mairie@montclair.example"})
	if err != nil {
		t.Fatal(err)
	}
	q, err := jobs.New(ctx, d, slog.New(slog.NewTextHandler(io.Discard, nil)),
		jobs.Options{PollInterval: 20 * time.Millisecond, RetryBase: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{s: appointment.NewStore(d, "un-secret-de-test-assez-long-pour-hmac"), q: q, mail: &sentMail{},
		tenant: tn, loc: tn.Location()}
	e.now = time.Date(2026, 2, 2, 8, 0, 0, 0, e.loc).UTC()
	e.s.Now = func() time.Time { return e.now }
	t.Cleanup(func() { e.s.Close() })
	if err := e.s.Wire(q, e.mail, tenant.NewStore(d)); err != nil {
		t.Fatal(err)
	}
	a := &appointment.Agenda{TenantID: tn.ID, Slug: "passeports", ServiceKey: "etat-civil", Service: "État civil", Name: "Passeports et cartes d'identité",
		Place: "Hôtel de ville", Step: 20 * time.Minute, MinNotice: time.Hour, WindowDays: 30, ReleaseMinute: 8 * 60,
		Hold: 2 * time.Hour, Reminders: []time.Duration{24 * time.Hour}, Active: true,
		Resources: []appointment.Resource{{Name: "Guichet 1"}, {Name: "Guichet 2", Position: 1}},
		Types: []appointment.Type{
			{Slug: "passeport", Name: "Passeport, une personne", Duration: 20 * time.Minute, ANTS: true, OnePerPerson: true},
			{Slug: "famille", Name: "Famille de quatre", Duration: 40 * time.Minute, People: 4, ANTS: true, OnePerPerson: true, Position: 1},
		}}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		a.Hours = append(a.Hours, appointment.Hours{Weekday: wd, Start: 9 * 60, End: 12 * 60})
	}
	if err := e.s.CreateAgenda(ctx, a); err != nil {
		t.Fatal(err)
	}
	if e.agenda, err = e.s.Agenda(ctx, tn.ID, "passeports"); err != nil {
		t.Fatal(err)
	}
	return e
}

// request asks for typ at local hh:mm on 3 February 2026 for person n,
// a resident whose address is verified, with a pre-application number
// of their own.
func (e *env) request(typ string, hhmm string, n int) *appointment.Request {
	var h, m int
	fmt.Sscanf(hhmm, "%d:%d", &h, &m)
	return &appointment.Request{Agenda: e.agenda, Type: e.agenda.Type(typ), Loc: e.loc,
		Start: time.Date(2026, 2, 3, h, m, 0, 0, e.loc), Name: fmt.Sprintf("Personne %d", n),
		Email: fmt.Sprintf("personne%d@courriel.localhost", n), Phone: "06 12 34 56 78", ANTS: fmt.Sprintf("AB12CD%04d", n),
		Lang: "fr", BookedBy: "resident", SiteURL: "http://montclair.localhost", Verified: true}
}

// guest is request for a guest: not verified, held until confirmed.
func (e *env) guest(typ string, hhmm string, n int) *appointment.Request {
	r := e.request(typ, hhmm, n)
	r.BookedBy, r.Verified = "guest", false
	return r
}
