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

	"guichet/internal/identity/oidc"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/cluster"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/live"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/search"
)

// App is a running Guichet: the kernel every capability receives, the
// capabilities installed on it, and what only the process needs.
type App struct {
	// Kernel is promoted: App.DB, App.Web, App.Accounts, … are its fields.
	*kernel.Kernel
	Config   *Config
	Resolver *tenant.Resolver
	OIDC     *oidc.Store
	Registry *prometheus.Registry
	// Refusals are the attempts the abuse limits (Web.Limits) refused.
	Refusals *abuse.Log
	// capabilities are the ones this process installs (Config.Capabilities
	// or the list of capabilities.go).
	capabilities []kernel.Capability
	logos        *tenant.Logos
	// workers run beside the web server and stop after it (job queue, …).
	workers []Worker
	closers []func() error
}

// Logos are the collectivités' logos, in the file store.
func (a *App) Logos() *tenant.Logos { return a.logos }

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
	a := &App{Config: cfg, Registry: prometheus.NewRegistry(), capabilities: cfg.Capabilities,
		Kernel: &kernel.Kernel{Log: log, DB: d, Now: clock.Or(cfg.Clock), Changes: invalidate.New(), Live: live.NewHub(),
			SecretKey: cfg.SecretKey, DataDir: cfg.DataDir, Demo: cfg.Demo}}
	if a.capabilities == nil {
		a.capabilities = Capabilities()
	}
	a.closers = append(a.closers, d.Close)
	if cfg.ReplicaURL != "" {
		if err := d.OpenReplica(ctx, cfg.ReplicaURL, log); err != nil {
			a.Close()
			return nil, err
		}
		a.Registry.MustRegister(replicaCollector{d})
	}
	sealAudit := staff.ChainPending(ctx, d)
	if err := d.Migrate(ctx, a.migrations()); err != nil {
		a.Close()
		return nil, err
	}
	if d.Dialect() == db.Postgres { // other nodes may share the database
		link, err := cluster.Start(ctx, d, a.Changes, a.Live, log)
		if err != nil {
			a.Close()
			return nil, err
		}
		a.closers = append(a.closers, link.Close)
		a.Registry.MustRegister(link.Collector())
	}
	if a.FileStore, err = files.OpenBackend(cfg.Files, d, cfg.DataDir); err != nil {
		a.Close()
		return nil, err
	}
	if s3, ok := a.FileStore.(*files.S3Backend); ok {
		if err := s3.EnsureBucket(ctx); err != nil {
			a.Close()
			return nil, err
		}
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
	a.Links = a.siteOf
	a.Web = web.NewServer(log, renderer, a.Resolver, web.NewMetrics(a.Registry), cfg.Secure)
	proxies, err := web.ParseProxies(cfg.TrustedProxies)
	if err != nil {
		a.Close()
		return nil, err
	}
	a.Web.TrustProxies(proxies)
	if cfg.ReplicaURL != "" {
		a.Web.UseReplica()
	}
	if err := a.build(ctx); err != nil {
		a.Close()
		return nil, err
	}
	// After the capabilities are installed: the kinds they list whole are
	// read from them.
	if n, err := search.Reindex(ctx, d, a.searchKinds()...); err != nil {
		a.Close()
		return nil, err
	} else if n > 0 {
		log.Info("search index rebuilt", "documents", n, "analyzer", search.AnalyzerVersion)
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
	debug, err := a.serveDebug()
	if err != nil {
		return err
	}
	if debug != nil {
		defer debug.Close()
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
	err = srv.Shutdown(shutdownCtx)
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
