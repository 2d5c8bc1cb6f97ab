package queueweb

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	"guichet/internal/capability/queue"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
)

var _ kernel.Isolated = (*Capability)(nil)

// IsolationRows implements kernel.Isolated: the town's sites, tickets,
// kiosks and counters, tried from the village's host.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	anon, admin := kernel.AsAnonymous, kernel.AsVillageAdmin
	row := func(name, as, method string, target kernel.IsolationTarget, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Target: target, Want: http.StatusNotFound, Unchanged: unchanged}
	}
	return []kernel.IsolationRow{
		row("a town site's page", anon, "GET", c.townSitePath(""), nil),
		row("a town site's board", anon, "GET", c.townSitePath("/ecran"), nil),
		row("a town site's board state", anon, "GET", c.townSitePath("/ecran/etat"), nil),
		row("a town site's live stream", anon, "GET", c.townSitePath("/direct"), nil),
		row("a ticket at a town site", anon, "POST", c.townSitePath("/tickets"), c.townTicketsCounted),
		row("a town ticket", anon, "GET", c.townTicket(""), nil),
		row("a town ticket's state", anon, "GET", c.townTicket("/etat"), nil),
		row("cancel a town ticket", anon, "POST", c.townTicket("/annuler"), c.townTicketWaiting),
		row("a town kiosk", anon, "GET", c.townKiosk(""), nil),
		row("a ticket from a town kiosk", anon, "POST", c.townKiosk("/tickets"), c.townTicketsCounted),
		row("a town site's settings", admin, "GET", c.townAdmin(func(s *queue.Site, _ *queue.Kiosk) string { return AdminPath + "/" + s.ID }), nil),
		row("add a counter to a town site", admin, "POST", c.townAdmin(func(s *queue.Site, _ *queue.Kiosk) string {
			return AdminPath + "/" + s.ID + "/guichets"
		}), c.townCountersCounted),
		row("renew a town kiosk", admin, "POST", c.townAdmin(func(_ *queue.Site, k *queue.Kiosk) string {
			return "/gestion/accueil/bornes/" + k.ID + "/renouveler"
		}), c.townKioskUnchanged),
		row("a town counter's console", admin, "GET", c.townAdmin(func(s *queue.Site, _ *queue.Kiosk) string {
			return "/gestion/accueil/guichets/" + s.Counters[0].ID
		}), nil),
		row("open a town counter", admin, "POST", c.townAdmin(func(s *queue.Site, _ *queue.Kiosk) string {
			return "/gestion/accueil/guichets/" + s.Counters[1].ID + "/ouvrir"
		}), c.townCountersCounted),
	}
}

func (c *Capability) townSite(ctx context.Context, town *tenant.Tenant) (*queue.Site, error) {
	return c.Store.Site(ctx, town.ID, demoSite)
}

func (c *Capability) townSitePath(suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		s, err := c.townSite(ctx, town)
		if err != nil {
			return "", nil, err
		}
		c.note(ctx, town)
		return SitesPath + "/" + s.Slug + suffix, []string{s.Name, s.Services[0].Name}, nil
	}
}

func (c *Capability) townTicket(suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		s, err := c.townSite(ctx, town)
		if err != nil {
			return "", nil, err
		}
		c.iso.mu.Lock()
		defer c.iso.mu.Unlock()
		h := c.iso.ticket
		if h == "" {
			t, err := c.Store.Take(ctx, queue.TakeInput{Site: s, ServiceID: s.Services[2].ID, Source: queue.FromPhone, Loc: town.Location()})
			if err != nil {
				return "", nil, err
			}
			h = c.Store.TicketHandle(t)
			c.iso.ticket = h
		}
		return "/ticket/" + h + suffix, []string{s.Name}, nil
	}
}

func (c *Capability) townTicketWaiting(ctx context.Context, town *tenant.Tenant) error {
	c.iso.mu.Lock()
	h := c.iso.ticket
	c.iso.mu.Unlock()
	t, err := c.Store.TicketByHandle(ctx, town.ID, h)
	if err != nil {
		return err
	}
	if t.State != queue.Waiting {
		return fmt.Errorf("the town's ticket is %s", t.State)
	}
	return nil
}

func (c *Capability) count(ctx context.Context, town *tenant.Tenant, table string) (int, error) {
	var n int
	err := c.k.DB.QueryRow(ctx, `SELECT COUNT(*) FROM `+table+` WHERE tenant_id = ?`, town.ID).Scan(&n)
	return n, err
}

// counted returns a check that a table's count of the town's rows is the
// one seen when the row's target was made.
func (c *Capability) counted(table string) kernel.IsolationCheck {
	return func(ctx context.Context, town *tenant.Tenant) error {
		n, err := c.count(ctx, town, table)
		if err != nil {
			return err
		}
		c.iso.mu.Lock()
		before, ok := c.iso.seen[table]
		c.iso.mu.Unlock()
		if ok && n != before {
			return fmt.Errorf("the town's %s went from %d to %d", table, before, n)
		}
		return nil
	}
}

func (c *Capability) townTicketsCounted(ctx context.Context, town *tenant.Tenant) error {
	return c.counted("queue_tickets")(ctx, town)
}

func (c *Capability) townCountersCounted(ctx context.Context, town *tenant.Tenant) error {
	return c.counted("queue_counters")(ctx, town)
}

func (c *Capability) townKiosk(suffix string) kernel.IsolationTarget {
	return c.townAdmin(func(_ *queue.Site, k *queue.Kiosk) string { return "/borne/" + c.Store.KioskHandle(k) + suffix })
}

// townAdmin aims at a path of the town's demo site and kiosk, noting
// their state first.
func (c *Capability) townAdmin(path func(*queue.Site, *queue.Kiosk) string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		s, err := c.townSite(ctx, town)
		if err != nil {
			return "", nil, err
		}
		c.note(ctx, town)
		kiosks, err := c.Store.Kiosks(ctx, town.ID)
		if err != nil || len(kiosks) == 0 {
			return "", nil, fmt.Errorf("no town kiosk: %v", err)
		}
		c.iso.mu.Lock()
		c.iso.generation = kiosks[0].Generation
		c.iso.mu.Unlock()
		return path(s, kiosks[0]), []string{s.Name, kiosks[0].Name}, nil
	}
}

func (c *Capability) townKioskUnchanged(ctx context.Context, town *tenant.Tenant) error {
	kiosks, err := c.Store.Kiosks(ctx, town.ID)
	if err != nil || len(kiosks) == 0 {
		return fmt.Errorf("no town kiosk: %v", err)
	}
	c.iso.mu.Lock()
	defer c.iso.mu.Unlock()
	if kiosks[0].Generation != c.iso.generation {
		return fmt.Errorf("the town's kiosk was renewed from the village")
	}
	return nil
}

// note records the town's counts before an attempt.
func (c *Capability) note(ctx context.Context, town *tenant.Tenant) {
	c.iso.mu.Lock()
	defer c.iso.mu.Unlock()
	if c.iso.seen == nil {
		c.iso.seen = map[string]int{}
	}
	for _, table := range []string{"queue_tickets", "queue_counters"} {
		if n, err := c.count(ctx, town, table); err == nil {
			c.iso.seen[table] = n
		}
	}
}

// isolationState is what the isolation rows saw of the town before their
// attempt, to check after it that nothing changed.
type isolationState struct {
	mu         sync.Mutex
	seen       map[string]int // rows per table
	generation int            // of the town's kiosk
	ticket     string         // the town ticket's handle
}
