package newsletter_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/internal/capability/newsletter"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/jobs"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
)

const site = "http://montclair.localhost"

var sets = []db.Migrations{tenant.Migrations, mail.Migrations, newsletter.Migrations}

// env is a newsletter store on a database, mailing to an SMTP server (or
// holding its mail when smtpURL is empty), with a clock tests move.
type env struct {
	d      *db.DB
	s      *newsletter.Store
	outbox *mail.Outbox
	town   *tenant.Tenant
	mu     sync.Mutex
	now    time.Time
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

func newEnv(t testing.TB, d *db.DB, smtpURL string, town *tenant.Tenant) *env {
	return newEnvWith(t, d, smtpURL, town, time.Minute, 10)
}

// newEnvWith is newEnv with a run's budget and the sending's chunk (0:
// the default, as deployed).
func newEnvWith(t testing.TB, d *db.DB, smtpURL string, town *tenant.Tenant, budget time.Duration, chunk int) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{d: d, now: dbtest.Start(t).Truncate(time.Second)}
	tenants := tenant.NewStore(d)
	if town == nil {
		var err error
		town, err = tenants.Create(ctx, tenant.Tenant{Slug: "montclair", Name: "Ville de Montclair", Kind: tenant.KindCommune,
			INSEE: "86990", SIRET: "21869900700017", TimeZone: "Europe/Paris", Address: "1 place de la Mairie, 86990 Montclair"})
		if err != nil {
			t.Fatal(err)
		}
	}
	e.town = town
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	queue, err := jobs.New(ctx, d, quiet, jobs.Options{Clock: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	templates := mail.NewTemplates()
	e.outbox, err = mail.NewOutbox(d, queue, templates, tenants, mail.Config{SMTPURL: smtpURL, From: "lettre@guichet.example",
		SecretKey: "3J9vZ0mXr7Qe2LtWb5Hn8Kc1Yf4Dg6Sa"}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if err := templates.Add("newsletter", newsletter.MailFiles()); err != nil {
		t.Fatal(err)
	}
	e.outbox.Now = e.clock
	e.s = newsletter.NewStore(d, e.outbox)
	e.s.Now = e.clock
	e.s.MeasureKey = []byte("clé de mesure des tests")
	if err := e.s.UseSending(newsletter.Sending{Jobs: queue, Tenants: tenants.Get, Conns: 4, Chunk: chunk, Budget: budget}); err != nil {
		t.Fatal(err)
	}
	bucket, err := files.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.s.UseImports(queue, bucket); err != nil {
		t.Fatal(err)
	}
	return e
}

// list creates a list.
func (e *env) list(t testing.TB, name, kind string) *newsletter.List {
	t.Helper()
	l := &newsletter.List{TenantID: e.town.ID, Name: name, Kind: kind, Public: true}
	if err := e.s.SaveList(context.Background(), l); err != nil {
		t.Fatal(err)
	}
	return l
}

// campaign saves a campaign with a text block, a link and a news item.
func (e *env) campaign(t testing.TB, subject string, lists ...string) *newsletter.Campaign {
	t.Helper()
	c := &newsletter.Campaign{TenantID: e.town.ID, Lists: lists, Archived: true,
		French: newsletter.Version{Subject: subject, Blocks: []newsletter.Block{
			{Type: newsletter.BlockText, Text: "Bonjour,\n\nLe marché de Noël ouvre samedi. [Le programme](https://montclair.example/noel)."},
			{Type: newsletter.BlockNews, Ref: "n1", Title: "Travaux rue Haute", Summary: "La rue est fermée une semaine.", Path: "/actualites/travaux-rue-haute"},
		}},
		English: newsletter.Version{Subject: "The Christmas market", Blocks: []newsletter.Block{
			{Type: newsletter.BlockText, Text: "Hello,\n\nThe Christmas market opens on Saturday."},
		}}}
	if err := e.s.SaveCampaign(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

// runAll runs the campaign's job until nothing is left, moving the clock
// past each wait (retries).
func (e *env) runAll(t testing.TB, c *newsletter.Campaign) {
	t.Helper()
	for range 50 {
		wait, err := e.s.Run(context.Background(), newsletter.SendArgs{TenantID: e.town.ID, CampaignID: c.ID, BaseURL: site})
		if err != nil {
			t.Fatal(err)
		}
		if wait < 0 {
			return
		}
		e.advance(wait + time.Second)
	}
	t.Fatal("the campaign was not sent after 50 runs")
}

// token is the last path element of a link.
func token(link string) string { return link[strings.LastIndex(link, "/")+1:] }
