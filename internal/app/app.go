package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"guichet/internal/capability/a11y"
	"guichet/internal/capability/appointment"
	"guichet/internal/capability/content"
	"guichet/internal/capability/content/contentweb"
	"guichet/internal/capability/procedure"
	"guichet/internal/identity/account"
	"guichet/internal/identity/oidc"
	"guichet/internal/identity/staff"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/jobs"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/privacy"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// App is a running Guichet: its database, stores and web server.
type App struct {
	Config *Config
	Log    *slog.Logger
	// Now is the clock every domain reads (Config.Clock, or the system's).
	Now clock.Clock
	DB  *db.DB
	// Changes is the one seam through which writers tell every in-process
	// cache that data changed (docs/ARCHITECTURE.md lists the caches).
	Changes  *invalidate.Bus
	Tenants  *tenant.Store
	Resolver *tenant.Resolver
	Accounts *account.Store
	Sessions *account.Sessions
	Staff    *staff.Store
	A11y     *a11y.Store
	// Content is local information: news, events, pages, alerts, questions.
	Content *content.Store
	// ContentWeb is local information's web module (tests turn its cache off).
	ContentWeb *contentweb.Module
	OIDC       *oidc.Store
	Web        *web.Server
	// Backoffice lists the sections of the staff home; domains add theirs.
	Backoffice *staffweb.Module
	Registry   *prometheus.Registry
	// Jobs is the durable job queue; domains register workers and periodic
	// jobs on it in build(), before Serve starts it.
	Jobs *jobs.Queue
	// Mail is the outbox (a mail.Enqueuer); domains add their templates to
	// Mail.Templates().
	Mail *mail.Outbox
	// Refusals are the attempts the abuse limits (Web.Limits) refused.
	Refusals *abuse.Log
	// workers run beside the web server and stop after it (job queue, …).
	workers []Worker
	closers []func() error

	// Appointments holds agendas, slots, bookings and the waiting list.
	Appointments *appointment.Store
	// Procedures holds procedures and cases.
	Procedures *procedure.Store
	// Privacy is the register of processing activities and the retention
	// rules each domain adds.
	Privacy *privacy.Register
	// Requests are the requests people make about their personal data.
	Requests *privacy.Requests
}

// Worker is background work started and stopped with the server.
type Worker interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
}

// New opens the database, applies migrations and builds every domain.
func New(ctx context.Context, cfg *Config, logOut io.Writer) (*App, error) {
	log := newLogger(logOut, cfg.LogLevel)
	if err := privateDir(cfg.DataDir); err != nil {
		return nil, err
	}
	d, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Log: log, DB: d, Now: clock.Or(cfg.Clock), Registry: prometheus.NewRegistry(),
		Changes: invalidate.New()}
	a.closers = append(a.closers, d.Close)
	sealAudit := staff.ChainPending(ctx, d)
	if err := d.Migrate(ctx, Migrations()); err != nil {
		a.Close()
		return nil, err
	}
	a.Tenants = tenant.NewStore(d)
	a.Tenants.Now = a.Now
	a.Tenants.Join(a.Changes)
	if err := a.Tenants.EnsurePlatform(ctx); err != nil {
		a.Close()
		return nil, err
	}
	a.Resolver = tenant.NewResolver(a.Tenants, cfg.BaseDomain)
	a.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(d.SQL(), string(d.Dialect())))
	renderer := web.NewRenderer(log)
	renderer.JoinChanges(a.Changes)
	a.Web = web.NewServer(log, renderer, a.Resolver, web.NewMetrics(a.Registry), cfg.Secure)
	proxies, err := web.ParseProxies(cfg.TrustedProxies)
	if err != nil {
		a.Close()
		return nil, err
	}
	a.Web.TrustProxies(proxies)
	if err := a.build(ctx); err != nil {
		a.Close()
		return nil, err
	}
	if sealAudit { // once, in the run that added the audit chain
		if err := a.Staff.SealLegacy(ctx); err != nil {
			a.Close()
			return nil, err
		}
	}
	return a, nil
}

// privateDir creates the data folder (uploads, logos, the SQLite file)
// for the server's user only, and takes group and others' rights off a
// folder an earlier version created.
func privateDir(dir string) error {
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	if mode := info.Mode().Perm(); mode&0o077 != 0 {
		if err := os.Chmod(dir, mode&^0o077); err != nil {
			return fmt.Errorf("data folder: %w", err)
		}
	}
	return nil
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(level))); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// Close releases the database and other resources.
func (a *App) Close() error {
	var err error
	for i := len(a.closers) - 1; i >= 0; i-- {
		err = errors.Join(err, a.closers[i]())
	}
	a.closers = nil
	return err
}

// Serve answers HTTP on ln until ctx is cancelled, then lets requests in
// flight finish (up to 20 s) and stops the workers.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	for _, w := range a.workers {
		if err := w.Start(ctx); err != nil {
			return fmt.Errorf("start worker: %w", err)
		}
	}
	srv := &http.Server{Handler: a.Web.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 2 * time.Minute, WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute,
		MaxHeaderBytes: 64 << 10, ErrorLog: slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		a.stopWorkers()
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	a.stopWorkers()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

func (a *App) stopWorkers() {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for i := len(a.workers) - 1; i >= 0; i-- {
		if err := a.workers[i].Stop(ctx); err != nil {
			a.Log.Error("stop worker", "err", err)
		}
	}
}
