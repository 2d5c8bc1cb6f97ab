package queue_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"guichet/internal/capability/queue"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/live"
	"guichet/internal/kernel/tenant"
)

var sets = []db.Migrations{tenant.Migrations, queue.Migrations}

// fakeClock is a clock the test moves.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type env struct {
	s      *queue.Store
	clock  *fakeClock
	tenant *tenant.Tenant
	loc    *time.Location
	site   *queue.Site
	// etat, social: the site's two services; g1, g2 its counters.
	etat, social *queue.Service
	g1, g2       *queue.Counter
	hub          *live.Hub
}

var (
	alice = queue.Agent{ID: "agent-1", Name: "Alice"}
	bruno = queue.Agent{ID: "agent-2", Name: "Bruno"}
)

// newEnv makes a town with a site (two services, two counters, closed),
// the clock on Monday 7 December 2026 at 09:00 in Paris.
func newEnv(t testing.TB, d *db.DB) *env {
	t.Helper()
	ctx := context.Background()
	tn, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "montclair", Name: "Ville de Montclair", Kind: tenant.KindCommune})
	if err != nil {
		t.Fatal(err)
	}
	loc := tn.Location()
	e := &env{clock: &fakeClock{now: time.Date(2026, 12, 7, 9, 0, 0, 0, loc).UTC()}, tenant: tn, loc: loc, hub: live.NewHub()}
	e.s = queue.NewStore(d, "un-secret-de-test-assez-long-pour-hmac")
	e.s.Now, e.s.Live = e.clock.Now, e.hub
	e.site, err = e.s.CreateSite(ctx, tn.ID, queue.SiteInput{Name: "Mairie de Montclair", PriorityAllowed: true, NearTurn: 3})
	if err != nil {
		t.Fatal(err)
	}
	if e.etat, err = e.s.AddService(ctx, e.site, queue.ServiceInput{Letter: "A", Name: "État civil", Minutes: 6, AppointmentService: "etat-civil"}); err != nil {
		t.Fatal(err)
	}
	if e.social, err = e.s.AddService(ctx, e.site, queue.ServiceInput{Letter: "B", Name: "Action sociale", Minutes: 10}); err != nil {
		t.Fatal(err)
	}
	if e.g1, err = e.s.AddCounter(ctx, e.site, "Guichet 1"); err != nil {
		t.Fatal(err)
	}
	if e.g2, err = e.s.AddCounter(ctx, e.site, "Guichet 2"); err != nil {
		t.Fatal(err)
	}
	return e
}

// reload reads the site again (counters' states).
func (e *env) reload(t testing.TB) *queue.Site {
	t.Helper()
	site, err := e.s.Site(context.Background(), e.tenant.ID, e.site.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.site = site
	return site
}

func (e *env) take(t testing.TB, svc *queue.Service, priority int) *queue.Ticket {
	t.Helper()
	tk, err := e.s.Take(context.Background(), queue.TakeInput{Site: e.site, ServiceID: svc.ID, Source: queue.FromKiosk, Priority: priority, Loc: e.loc})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func (e *env) open(t testing.TB, c *queue.Counter, a queue.Agent, services ...*queue.Service) {
	t.Helper()
	ids := make([]string, len(services))
	for i, s := range services {
		ids[i] = s.ID
	}
	if _, err := e.s.OpenCounter(context.Background(), e.reload(t), c.ID, a, ids); err != nil {
		t.Fatal(err)
	}
	e.reload(t)
}
