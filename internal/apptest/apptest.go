// Package apptest runs the whole Guichet application inside a test: the
// real app.New stack on a fresh database, an httptest server, the two demo
// collectivités, browsers that keep cookies and reach *.localhost hosts,
// and optionally a real SMTP server receiving the mail.
//
//	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
//		b := e.Browser(e.Town)
//		res := b.Get("/connexion")
//		res.Want(t, http.StatusOK)
//	}, apptest.WithMail())
package apptest

import (
	"context"
	"io"
	"net/http/httptest"
	"testing"

	"guichet/internal/app"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/mailtest"
	"guichet/internal/kernel/tenant"
)

// SecretKey is the fixed key test applications sign tokens with: random,
// as the configuration requires, and the same on every run.
const SecretKey = "3J9vZ0mXr7Qe2LtWb5Hn8Kc1Yf4Dg6Sa"

// Env is a running application with its demo collectivités.
type Env struct {
	T      testing.TB
	App    *app.App
	Server *httptest.Server
	// Town and Village are the demo collectivités (montclair, sauvigny);
	// Platform is the operators' pseudo-tenant on the bare domain.
	Town, Village, Platform *tenant.Tenant
	// Mail receives what the app sends; nil without WithMail.
	Mail *mailtest.Server

	dbURL string
}

// Option changes how New builds the environment.
type Option func(*options)

type options struct {
	mail  bool
	demo  bool
	empty bool
	log   io.Writer
	cfg   func(*app.Config)
}

// WithMail starts an in-process SMTP server, points the app at it and
// starts the job workers, so that mail is really delivered (see Env.Mail).
func WithMail() Option { return func(o *options) { o.mail = true } }

// WithDemoData seeds the whole demo dataset (staff of every role with the
// demo password and TOTP secret, content of every domain), not only the
// two collectivités.
func WithDemoData() Option { return func(o *options) { o.demo = true } }

// WithoutTenants starts on a database with the platform alone: no demo
// collectivité (Town and Village stay nil), as a new deployment.
func WithoutTenants() Option { return func(o *options) { o.empty = true } }

// WithLog sends the app's JSON log to w (it is discarded by default).
func WithLog(w io.Writer) Option { return func(o *options) { o.log = w } }

// WithConfig lets a test change the configuration before the app starts.
func WithConfig(fn func(*app.Config)) Option { return func(o *options) { o.cfg = fn } }

// Each runs fn on a fresh environment per database engine: SQLite always,
// PostgreSQL when GUICHET_TEST_POSTGRES is set (reported as skipped
// otherwise, failed under GUICHET_TEST_REQUIRE_POSTGRES=1).
func Each(t *testing.T, fn func(t *testing.T, e *Env), opts ...Option) {
	t.Helper()
	urls := dbtest.URLs(t)
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			u, ok := urls[dialect]
			if !ok {
				t.Skip("PostgreSQL not configured: set GUICHET_TEST_POSTGRES=postgres://…")
			}
			fn(t, New(t, u, opts...))
		})
	}
}

// New starts the application on the database at dbURL (migrated on
// start) with the demo collectivités, and stops it when t ends.
func New(t testing.TB, dbURL string, opts ...Option) *Env {
	t.Helper()
	account.UseTestHashCost() // the production cost is proved in cmd/guichet
	o := &options{log: io.Discard}
	for _, opt := range opts {
		opt(o)
	}
	e := &Env{T: t, dbURL: dbURL}
	cfg := config(dbURL, t.TempDir(), dbtest.Clock(t))
	seeded := false
	if o.cfg == nil && !o.empty { // a changed configuration might migrate or seed differently
		copied, ok, err := copyTemplate(o.demo, dbURL, cfg.DataDir)
		if err != nil {
			t.Fatalf("apptest: demo template: %v", err)
		}
		if ok {
			cfg.Clock, seeded = copied, true
		}
	}
	if o.mail {
		e.Mail = mailtest.Start(t)
		cfg.SMTPURL = e.Mail.URL
	}
	a := start(t, cfg, o)
	ctx := context.Background()
	e.App = a
	var err error
	switch {
	case o.empty:
	case seeded: // the copy holds what the options ask for
	case o.demo:
		if _, err := a.SeedDemo(ctx); err != nil {
			t.Fatalf("apptest: seed demo: %v", err)
		}
	default:
		if _, err := demo.Seed(ctx, a.Tenants); err != nil {
			t.Fatalf("apptest: seed: %v", err)
		}
	}
	if !o.empty {
		if e.Town, err = a.Tenants.BySlug(ctx, demo.Town); err != nil {
			t.Fatal(err)
		}
		if e.Village, err = a.Tenants.BySlug(ctx, demo.Village); err != nil {
			t.Fatal(err)
		}
	}
	if e.Platform, err = a.Tenants.Get(ctx, tenant.PlatformID); err != nil {
		t.Fatal(err)
	}
	if o.mail {
		if err := a.StartWorkers(ctx); err != nil {
			t.Fatalf("apptest: start workers: %v", err)
		}
	}
	e.Server = httptest.NewServer(a.Web.Handler())
	t.Cleanup(e.Server.Close)
	return e
}

// Node starts another node of e's deployment: a second application on
// the same database, with its own data folder, caches and test server,
// as a second machine behind a load balancer would be. Its workers run
// when e's do (WithMail).
func (e *Env) Node(t testing.TB, opts ...Option) *Env {
	t.Helper()
	o := &options{log: io.Discard}
	for _, opt := range opts {
		opt(o)
	}
	cfg := config(e.dbURL, t.TempDir(), e.App.Config.Clock)
	cfg.SMTPURL = e.App.Config.SMTPURL
	a := start(t, cfg, o)
	ctx := context.Background()
	n := &Env{T: t, App: a, Mail: e.Mail, dbURL: e.dbURL, Town: e.Town, Village: e.Village, Platform: e.Platform}
	if e.Mail != nil {
		if err := a.StartWorkers(ctx); err != nil {
			t.Fatalf("apptest: node workers: %v", err)
		}
	}
	n.Server = httptest.NewServer(a.Web.Handler())
	t.Cleanup(n.Server.Close)
	return n
}

// start applies the options' configuration and starts the application,
// closed when t ends.
func start(t testing.TB, cfg *app.Config, o *options) *app.App {
	t.Helper()
	if o.cfg != nil {
		o.cfg(cfg)
	}
	if err := cfg.Finish(); err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, o.log)
	if err != nil {
		t.Fatalf("apptest: app.New: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// config is the configuration of a test application before its options.
func config(dbURL, dataDir string, now clock.Clock) *app.Config {
	return &app.Config{DatabaseURL: dbURL, BaseDomain: "localhost", SecretKey: SecretKey,
		DataDir: dataDir, LogLevel: "error", JobPoll: "20ms", Clock: now}
}

// Host returns the host name a collectivité answers on ("localhost" for
// the platform).
func (e *Env) Host(t *tenant.Tenant) string {
	if t.IsPlatform() {
		return "localhost"
	}
	return t.Slug + ".localhost"
}
