package mail_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/jobs"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/mailtest"
	"guichet/internal/kernel/tenant"
)

var (
	quiet = slog.New(slog.NewTextHandler(io.Discard, nil))
	fast  = jobs.Options{PollInterval: 20 * time.Millisecond, RetryBase: 20 * time.Millisecond, MaxAttempts: 4}
	sets  = []db.Migrations{tenant.Migrations, mail.Migrations}
)

const wait = 10 * time.Second

// env is a queue and an outbox on one database.
type env struct {
	d      *db.DB
	q      *jobs.Queue
	o      *mail.Outbox
	tenant *tenant.Tenant
}

// newEnv builds the queue and outbox on d, sending to smtpURL ("" holds).
func newEnv(t *testing.T, d *db.DB, smtpURL string) *env {
	t.Helper()
	ctx := context.Background()
	tenants := tenant.NewStore(d)
	tn, err := tenants.BySlug(ctx, "montclair")
	if err != nil {
		tn, err = tenants.Create(ctx, tenant.Tenant{Slug: "montclair", Name: "Ville de Montclair", Kind: tenant.KindCommune,
			Email: "contact@montclair.example"})
		if err != nil {
			t.Fatalf("create tenant: %v", err)
		}
	}
	q, err := jobs.New(ctx, d, quiet, fast)
	if err != nil {
		t.Fatal(err)
	}
	o, err := mail.NewOutbox(d, q, mail.NewTemplates(), tenants, mail.Config{SMTPURL: smtpURL, From: "no-reply@guichet.example"}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	return &env{d: d, q: q, o: o, tenant: tn}
}

func (e *env) start(t *testing.T) {
	t.Helper()
	if err := e.q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.q.Stop(context.Background()) })
}

func (e *env) enqueue(t *testing.T, to, lang string) {
	t.Helper()
	err := e.o.Enqueue(context.Background(), mail.Message{TenantID: e.tenant.ID, To: to, Template: mail.TestTemplate,
		Lang: lang, Data: map[string]any{"Link": "http://montclair.localhost/essai?x=1&y=2"}})
	if err != nil {
		t.Fatalf("enqueue: %v", err)
	}
}

// entry returns the only outbox message to addr.
func (e *env) entry(t *testing.T, addr string) *mail.Entry {
	t.Helper()
	list, _, err := e.o.List(context.Background(), e.tenant.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var found *mail.Entry
	for _, m := range list {
		if m.To == addr {
			if found != nil {
				t.Fatalf("two outbox messages to %s", addr)
			}
			found = m
		}
	}
	if found == nil {
		t.Fatalf("no outbox message to %s", addr)
	}
	return found
}

func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestMessageDeliveredInFrenchAndEnglish(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		srv := mailtest.Start(t)
		e := newEnv(t, d, srv.URL)
		e.start(t)
		e.enqueue(t, "camille@example.org", "fr")
		e.enqueue(t, "alex@example.org", "en")

		fr := srv.WaitFor(t, "camille@example.org", wait)
		if fr.Subject != "Message d'essai de Ville de Montclair" {
			t.Errorf("French subject = %q", fr.Subject)
		}
		if !strings.Contains(fr.Text, "l'envoi des courriels fonctionne") || !strings.Contains(fr.HTML, "<strong>Ville de Montclair</strong>") {
			t.Errorf("French body wrong:\n%s\n%s", fr.Text, fr.HTML)
		}
		if got := fr.Link("/essai"); got != "http://montclair.localhost/essai?x=1&y=2" {
			t.Errorf("text link = %q", got)
		}
		if links := fr.HTMLLinks(); len(links) != 1 || links[0] != "http://montclair.localhost/essai?x=1&y=2" {
			t.Errorf("HTML links = %q", links)
		}
		if from := fr.Header.Get("From"); !strings.Contains(from, "Ville de Montclair") || !strings.Contains(from, "<no-reply@guichet.example>") {
			t.Errorf("From = %q, want the collectivité's name and the platform sender", from)
		}
		if rt := fr.Header.Get("Reply-To"); !strings.Contains(rt, "contact@montclair.example") {
			t.Errorf("Reply-To = %q, want the collectivité's contact", rt)
		}

		en := srv.WaitFor(t, "alex@example.org", wait)
		if en.Subject != "Test message from Ville de Montclair" || !strings.Contains(en.Text, "outgoing email works") ||
			!strings.Contains(en.HTML, `lang="en"`) {
			t.Errorf("English message wrong: %q\n%s\n%s", en.Subject, en.Text, en.HTML)
		}

		eventually(t, "both marked sent", func() bool {
			a, b := e.entry(t, "camille@example.org"), e.entry(t, "alex@example.org")
			return a.Status == mail.StatusSent && b.Status == mail.StatusSent
		})
		m := e.entry(t, "camille@example.org")
		if m.Attempts != 1 || m.SentAt == nil || m.Subject != fr.Subject || m.TenantName != "Ville de Montclair" {
			t.Errorf("outbox entry = %+v", m)
		}
	})
}

func TestFailedSendIsRetried(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		srv := mailtest.Start(t)
		srv.FailNext(1)
		e := newEnv(t, d, srv.URL)
		e.start(t)
		e.enqueue(t, "dominique@example.org", "fr")
		srv.WaitFor(t, "dominique@example.org", wait)
		if srv.Failures() != 1 {
			t.Fatalf("server refused %d deliveries, want 1", srv.Failures())
		}
		eventually(t, "marked sent", func() bool { return e.entry(t, "dominique@example.org").Status == mail.StatusSent })
		if m := e.entry(t, "dominique@example.org"); m.Attempts != 2 {
			t.Fatalf("attempts = %d, want 2", m.Attempts)
		}
		if n := len(srv.Messages()); n != 1 {
			t.Fatalf("received %d messages, want exactly 1", n)
		}
	})
}

func TestRefusedRecipientFailsWithoutRetry(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		srv := mailtest.Start(t)
		srv.Reject("gone@example.org")
		e := newEnv(t, d, srv.URL)
		e.start(t)
		e.enqueue(t, "gone@example.org", "fr")
		eventually(t, "marked failed", func() bool { return e.entry(t, "gone@example.org").Status == mail.StatusFailed })
		m := e.entry(t, "gone@example.org")
		if m.Attempts != 1 || !strings.Contains(m.LastError, "550") {
			t.Fatalf("entry = %+v, want one attempt and the 550 recorded", m)
		}
	})
}

// A restart loses no mail: messages queued while the queue is stopped, or
// while the SMTP server is down, arrive once a new process runs.
func TestRestartLosesNoQueuedMail(t *testing.T) {
	t.Parallel()
	eachURL(t, func(t *testing.T, url string) {
		// A port nothing listens on: the first process cannot deliver.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		deadURL := "smtp://" + ln.Addr().String()
		ln.Close()

		d1 := dbtest.Open(t, url, sets)
		e1 := newEnv(t, d1, deadURL)
		e1.enqueue(t, "queued@example.org", "fr") // queue never started
		e1.start(t)
		e1.enqueue(t, "down@example.org", "en")
		eventually(t, "a failed attempt", func() bool {
			m := e1.entry(t, "down@example.org")
			return m.Attempts >= 1 && m.LastError != ""
		})
		if err := e1.q.Stop(context.Background()); err != nil {
			t.Fatal(err)
		}
		d1.Close()

		srv := mailtest.Start(t)
		d2 := dbtest.Open(t, url, sets)
		e2 := newEnv(t, d2, srv.URL)
		e2.start(t)
		srv.WaitFor(t, "queued@example.org", wait)
		srv.WaitFor(t, "down@example.org", wait)
		eventually(t, "both marked sent", func() bool {
			return e2.entry(t, "queued@example.org").Status == mail.StatusSent &&
				e2.entry(t, "down@example.org").Status == mail.StatusSent
		})
	})
}

func TestWithoutSMTPMailIsHeld(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, "")
		if !e.o.Holding() {
			t.Fatal("an outbox without SMTP URL is not holding")
		}
		e.start(t)
		e.enqueue(t, "demo@example.org", "fr")
		m := e.entry(t, "demo@example.org")
		if m.Status != mail.StatusHeld || m.Subject != "Message d'essai de Ville de Montclair" {
			t.Fatalf("entry = %+v, want held with its subject", m)
		}
		var jobsN int
		if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM river_job WHERE kind = 'mail_deliver'`).Scan(&jobsN); err != nil {
			t.Fatal(err)
		}
		if jobsN != 0 {
			t.Fatalf("%d delivery jobs for a held message", jobsN)
		}
		r, err := e.o.Preview(context.Background(), m)
		if err != nil || !strings.Contains(r.Text, "http://montclair.localhost/essai?x=1&y=2") {
			t.Fatalf("preview = %+v, %v", r, err)
		}
		all, total, err := e.o.ListAll(context.Background(), 0, 10)
		if err != nil || total != 1 || len(all) != 1 {
			t.Fatalf("ListAll = %d of %d, %v", len(all), total, err)
		}
	})
}

func TestEnqueueRejectsBadMessages(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, "")
		ctx := context.Background()
		err := e.o.Enqueue(ctx, mail.Message{TenantID: e.tenant.ID, To: "not an address", Template: mail.TestTemplate})
		if guichet.ErrorCode(err) != guichet.EInvalid {
			t.Errorf("bad address: err = %v, want EInvalid", err)
		}
		err = e.o.Enqueue(ctx, mail.Message{TenantID: e.tenant.ID, To: "a@example.org", Template: "mail/nope"})
		if err == nil {
			t.Error("unknown template accepted")
		}
		err = e.o.Enqueue(ctx, mail.Message{TenantID: e.tenant.ID, To: "a@example.org", Template: mail.TestTemplate})
		if err == nil || !strings.Contains(err.Error(), "Link") {
			t.Errorf("missing template value: err = %v, want it named", err)
		}
		if _, total, _ := e.o.ListAll(ctx, 0, 10); total != 0 {
			t.Errorf("%d rejected messages were stored", total)
		}
	})
}

func TestOtherTenantCannotReadMessage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, "")
		e.enqueue(t, "private@example.org", "fr")
		m := e.entry(t, "private@example.org")
		if _, err := e.o.Get(context.Background(), tenant.PlatformID, m.ID); guichet.ErrorCode(err) != guichet.ENotFound {
			t.Fatalf("Get from another tenant: err = %v, want ENotFound", err)
		}
		if list, total, _ := e.o.List(context.Background(), tenant.PlatformID, 0, 10); total != 0 || len(list) != 0 {
			t.Fatalf("another tenant lists %d messages", total)
		}
	})
}

// eachURL runs fn on a fresh database URL per engine, reporting PostgreSQL
// as skipped when it is not configured.
func eachURL(t *testing.T, fn func(t *testing.T, url string)) {
	urls := dbtest.URLs(t)
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			u, ok := urls[dialect]
			if !ok {
				t.Skip("PostgreSQL not configured: set GUICHET_TEST_POSTGRES=postgres://…")
			}
			fn(t, u)
		})
	}
}

func TestTemplateValuesAndCallerKeysWin(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, "")
		err := e.o.Templates().Add("probe", fstest.MapFS{"mail/v.fr.txt": {Data: []byte(
			`{{define "subject"}}{{.TenantName}}{{end}}{{.Tenant}}|{{.To}}|{{.Lang}}|{{.N}}`)}})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		err = e.o.Enqueue(ctx, mail.Message{TenantID: e.tenant.ID, To: "Léa <lea@example.org>", Template: "probe/v",
			Lang: "en", Data: map[string]any{"Tenant": "Mairie", "N": 3}})
		if err != nil {
			t.Fatal(err)
		}
		m := e.entry(t, "lea@example.org")
		r, err := e.o.Preview(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		if r.Subject != "Ville de Montclair" || r.Text != "Mairie|lea@example.org|en|3\n" || r.Lang != "fr" {
			t.Fatalf("rendered %+v", r)
		}
	})
}

func TestAttachmentsAreDelivered(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		srv := mailtest.Start(t)
		e := newEnv(t, d, srv.URL)
		e.start(t)
		ics := []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n")
		err := e.o.Enqueue(context.Background(), mail.Message{TenantID: e.tenant.ID, To: "camille@example.org",
			Template: mail.TestTemplate, Data: map[string]any{"Link": "http://montclair.localhost/"},
			Attachments: []mail.Attachment{{Name: "rendez-vous.ics", ContentType: "text/calendar; charset=utf-8; method=REQUEST", Data: ics}}})
		if err != nil {
			t.Fatal(err)
		}
		m := srv.WaitFor(t, "camille@example.org", wait)
		if len(m.Attachments) != 1 {
			t.Fatalf("%d attachments, want 1", len(m.Attachments))
		}
		a := m.Attachments[0]
		if a.Name != "rendez-vous.ics" || string(a.Data) != string(ics) || !strings.Contains(a.ContentType, "method=REQUEST") {
			t.Errorf("attachment = %q %q %q", a.Name, a.ContentType, a.Data)
		}
		if !strings.Contains(m.Text, "l'envoi des courriels fonctionne") {
			t.Errorf("the text part is lost beside the attachment:\n%s", m.Text)
		}
	})
}
