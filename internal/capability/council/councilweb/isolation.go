package councilweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"

	"guichet/internal/capability/council"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
)

var _ kernel.Isolated = (*Capability)(nil)

// IsolationRows implements kernel.Isolated: the town's sessions, acts,
// files and drafts, tried from the village's host.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	anon, admin := kernel.AsAnonymous, kernel.AsVillageAdmin
	row := func(name, as, method string, target kernel.IsolationTarget, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Target: target, Want: http.StatusNotFound, Unchanged: unchanged}
	}
	act := func(path func(a *council.Act) string) kernel.IsolationTarget { return c.townAct(false, path) }
	draft := func(path func(a *council.Act) string) kernel.IsolationTarget { return c.townAct(true, path) }
	return []kernel.IsolationRow{
		row("a town council session", anon, "GET", c.townSession(func(x *council.Session) string {
			return CouncilPath + "/seances/" + x.ID
		}), nil),
		row("a town act", anon, "GET", act(func(a *council.Act) string { return a.URL() }), nil),
		row("a town act's PDF", anon, "GET", act(func(a *council.Act) string { return a.URL() + "/acte.pdf" }), nil),
		row("a town council file", anon, "GET", act(func(a *council.Act) string { return CouncilPath + "/fichiers/" + a.FileID }), nil),
		row("a town council file, for staff", admin, "GET", act(func(a *council.Act) string {
			return "/gestion/conseil/fichiers/" + a.FileID
		}), nil),
		row("a town session's settings", admin, "GET", c.townSession(func(x *council.Session) string {
			return AdminPath + "/seances/" + x.ID
		}), nil),
		{Name: "add an item to a town session", As: admin, Method: "POST", Form: url.Values{"title": {"Point ajouté depuis le village"}},
			Target: c.townSession(func(x *council.Session) string { return AdminPath + "/seances/" + x.ID + "/points" }),
			Want:   http.StatusNotFound, Unchanged: c.itemsUnchanged},
		row("publish a town session's list", admin, "POST", c.townSession(func(x *council.Session) string {
			return AdminPath + "/seances/" + x.ID + "/liste"
		}), c.listUnchanged),
		row("a town session's minutes", admin, "GET", c.townSession(func(x *council.Session) string {
			return AdminPath + "/seances/" + x.ID + "/proces-verbal"
		}), nil),
		row("a town draft act", admin, "GET", draft(func(a *council.Act) string { return AdminActs + "/" + a.ID }), nil),
		row("publish a town draft act", admin, "POST", draft(func(a *council.Act) string {
			return AdminActs + "/" + a.ID + "/publier"
		}), c.draftUnchanged),
		row("rectify a town act", admin, "POST", act(func(a *council.Act) string { return AdminActs + "/" + a.ID + "/rectifier" }),
			c.actsCounted),
		row("a town member", admin, "GET", c.townMember, nil),
	}
}

// isolationState is what the rows saw of the town before their attempts.
type isolationState struct {
	mu          sync.Mutex
	draft       string
	acts, items int
}

func (c *Capability) townSessionOf(ctx context.Context, town *tenant.Tenant) (*council.Session, error) {
	sessions, err := c.Store.Sessions(ctx, town.ID)
	if err != nil {
		return nil, err
	}
	for _, x := range sessions {
		if x.Held && x.ListPublishedAt == nil {
			return c.Store.Session(ctx, town.ID, x.ID)
		}
	}
	return nil, fmt.Errorf("no town session whose list is due")
}

func (c *Capability) townSession(path func(*council.Session) string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		x, err := c.townSessionOf(ctx, town)
		if err != nil {
			return "", nil, err
		}
		c.note(ctx, town)
		return path(x), []string{x.Items[0].Title}, nil
	}
}

func (c *Capability) townAct(draft bool, path func(*council.Act) string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		status := council.Published
		if draft {
			status = council.Draft
		}
		acts, _, err := c.Store.Acts(ctx, town.ID, council.ActFilter{Kind: council.Deliberation, Status: status, Limit: 1})
		if err != nil || len(acts) == 0 {
			return "", nil, fmt.Errorf("no town %s deliberation: %v", status, err)
		}
		c.note(ctx, town)
		c.iso.mu.Lock()
		c.iso.draft = acts[0].ID
		c.iso.mu.Unlock()
		return path(acts[0]), []string{acts[0].Title}, nil
	}
}

func (c *Capability) townMember(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	members, err := c.Store.Members(ctx, town.ID)
	if err != nil || len(members) == 0 {
		return "", nil, fmt.Errorf("no town member: %v", err)
	}
	return AdminPath + "/elus/" + members[0].ID, []string{members[0].Name}, nil
}

// note records the town's counts before an attempt.
func (c *Capability) note(ctx context.Context, town *tenant.Tenant) {
	acts, items, err := c.counts(ctx, town)
	if err != nil {
		return
	}
	c.iso.mu.Lock()
	c.iso.acts, c.iso.items = acts, items
	c.iso.mu.Unlock()
}

func (c *Capability) counts(ctx context.Context, town *tenant.Tenant) (acts, items int, err error) {
	if err := c.k.DB.QueryRow(ctx, `SELECT COUNT(*) FROM council_acts WHERE tenant_id = ?`, town.ID).Scan(&acts); err != nil {
		return 0, 0, err
	}
	err = c.k.DB.QueryRow(ctx, `SELECT COUNT(*) FROM council_items WHERE tenant_id = ?`, town.ID).Scan(&items)
	return acts, items, err
}

func (c *Capability) actsCounted(ctx context.Context, town *tenant.Tenant) error {
	acts, _, err := c.counts(ctx, town)
	if err != nil {
		return err
	}
	c.iso.mu.Lock()
	defer c.iso.mu.Unlock()
	if acts != c.iso.acts {
		return fmt.Errorf("the town's acts went from %d to %d", c.iso.acts, acts)
	}
	return nil
}

func (c *Capability) itemsUnchanged(ctx context.Context, town *tenant.Tenant) error {
	_, items, err := c.counts(ctx, town)
	if err != nil {
		return err
	}
	c.iso.mu.Lock()
	defer c.iso.mu.Unlock()
	if items != c.iso.items {
		return fmt.Errorf("the town's agenda items went from %d to %d", c.iso.items, items)
	}
	return nil
}

func (c *Capability) listUnchanged(ctx context.Context, town *tenant.Tenant) error {
	if _, err := c.townSessionOf(ctx, town); err != nil {
		return fmt.Errorf("the town's list was published from the village: %w", err)
	}
	return nil
}

func (c *Capability) draftUnchanged(ctx context.Context, town *tenant.Tenant) error {
	c.iso.mu.Lock()
	id := c.iso.draft
	c.iso.mu.Unlock()
	a, err := c.Store.Act(ctx, town.ID, id)
	if err != nil {
		return err
	}
	if a.Status != council.Draft {
		return fmt.Errorf("the town's draft was published from the village")
	}
	return nil
}
