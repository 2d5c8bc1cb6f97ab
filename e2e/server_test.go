package e2e

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	"guichet/internal/app"
	"guichet/internal/capability/a11y"
	"guichet/internal/capability/a11y/a11yweb"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

// server is the real application with the demo data, on a free port.
type server struct {
	app     *app.App
	port    string
	signIns []app.SignIn
	hosts   map[string]string // collectivité name → host label ("" for the platform)
	dir     string
	done    chan error
	cancel  context.CancelFunc
}

// startServer builds the app as the demo command does, on 127.0.0.1:0
// with the base domain "localhost": Chromium resolves every *.localhost
// name to the loopback address by itself.
func startServer(parent context.Context) (*server, error) {
	dir, err := os.MkdirTemp("", "guichet-e2e-")
	if err != nil {
		return nil, err
	}
	start, err := dbtest.StartInstant()
	if err != nil {
		return nil, err
	}
	cfg := &app.Config{DatabaseURL: "sqlite:" + filepath.Join(dir, "guichet.db"), BaseDomain: "localhost",
		SecretKey: "Yt6Qe1Wm9Rx3Kb7Zn0Lp4Vc8Hs2Dj5Fa", DataDir: dir, LogLevel: "error", Demo: true, Addr: "127.0.0.1:0",
		Clock: clock.Starting(start)}
	if err := cfg.Finish(); err != nil {
		return nil, err
	}
	logFile, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(parent)
	a, err := app.New(ctx, cfg, io.Writer(logFile))
	if err != nil {
		cancel()
		return nil, err
	}
	s := &server{app: a, dir: dir, done: make(chan error, 1), cancel: cancel}
	if s.signIns, err = a.SeedDemo(ctx); err != nil {
		s.stop()
		return nil, err
	}
	if s.hosts, err = hostsByName(ctx, a); err != nil {
		s.stop()
		return nil, err
	}
	if err := seedAudit(ctx, a); err != nil {
		s.stop()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.stop()
		return nil, err
	}
	_, s.port, _ = net.SplitHostPort(ln.Addr().String())
	go func() { s.done <- a.Serve(ctx, ln) }()
	return s, nil
}

// hostsByName maps each collectivité's name, as the demo sign-ins give it,
// to its host label.
func hostsByName(ctx context.Context, a *app.App) (map[string]string, error) {
	list, err := a.Tenants.List(ctx)
	if err != nil {
		return nil, err
	}
	hosts := map[string]string{}
	for _, t := range list {
		hosts[t.Name] = t.Slug
	}
	platform, err := a.Tenants.Get(ctx, tenant.PlatformID)
	if err != nil {
		return nil, err
	}
	hosts[platform.Name] = ""
	return hosts, nil
}

// seedAudit records a partial audit for the town, so that the crawl sees
// the statement both with an audit (town) and without one (village).
func seedAudit(ctx context.Context, a *app.App) error {
	town, err := a.Tenants.BySlug(ctx, demo.Town)
	if err != nil {
		return err
	}
	audit := &a11y.Audit{TenantID: town.ID, AuditedOn: a.Now().AddDate(0, -1, 0), Auditor: "Service numérique",
		Results: map[string]a11y.Status{}, NonConformities: "Certains documents PDF anciens ne sont pas balisés.",
		Derogations: "Plans cadastraux numérisés avant 2010.", Pages: "Accueil\nDéclaration d'accessibilité\nPréférences d'affichage",
		Tools: "Chromium, axe-core, Nu HTML Checker, lecteur d'écran NVDA", SchemaPlan: "Schéma 2026-2028 : audit annuel et formation des agents.",
		ActionPlan: "2026 : baliser les PDF publiés depuis 2020.", RecordedBy: "e2e"}
	for i, c := range a11y.Criteria() {
		switch {
		case i%9 == 0:
			audit.Results[c.ID] = a11y.NonConforme
		case i%4 == 0:
			audit.Results[c.ID] = a11y.NonApplicable
		default:
			audit.Results[c.ID] = a11y.Conforme
		}
	}
	return a11yweb.Of(a.Kernel).Store.Save(ctx, audit)
}

// url returns the address of path on host ("montclair", or "" for the
// platform on the bare domain).
func (s *server) url(host, path string) string {
	if host != "" {
		host += "."
	}
	return fmt.Sprintf("http://%slocalhost:%s%s", host, s.port, path)
}

func (s *server) stop() {
	s.cancel()
	if s.port != "" { // serving: let requests in flight finish
		select {
		case <-s.done:
		case <-time.After(25 * time.Second):
		}
	}
	s.app.Close()
	os.RemoveAll(s.dir)
}
