package sharingweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"guichet/internal/capability/sharing"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
)

var _ kernel.Isolated = (*Capability)(nil)

// IsolationRows implements kernel.Isolated: the village's administrator
// neither sees nor acts on the town's posts and accounts.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	admin := kernel.AsVillageAdmin
	row := func(name, method string, form url.Values, target kernel.IsolationTarget, want int, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: admin, Method: method, Form: form, Target: target, Want: want, Unchanged: unchanged}
	}
	pending := c.townPost(sharing.Pending)
	failed := c.townPost(sharing.Failed)
	return []kernel.IsolationRow{
		row("the village's queue shows none of the town's posts", "GET", nil, c.townQueue, http.StatusOK, nil),
		row("the village's accounts page shows none of the town's", "GET", nil, c.townAccounts, http.StatusOK, nil),
		row("approve a town post", "POST", nil, pending.path("/valider"), http.StatusNotFound, pending.still),
		row("cancel a town post", "POST", nil, pending.path("/annuler"), http.StatusNotFound, pending.still),
		row("retry a town post", "POST", nil, failed.path("/renvoyer"), http.StatusNotFound, failed.still),
		row("change a town account", "POST", url.Values{"host": {"pirate.example"}}, c.townAccount(""), http.StatusNotFound, c.townAccountIntact),
		row("test a town account", "POST", nil, c.townAccount("/tester"), http.StatusNotFound, c.townAccountIntact),
		row("delete a town account", "POST", nil, c.townAccount("/supprimer"), http.StatusNotFound, c.townAccountIntact),
	}
}

// demoAccount is the town's demo account.
func (c *Capability) demoAccount(ctx context.Context, town *tenant.Tenant) (*sharing.Account, error) {
	list, err := c.Store.Accounts(ctx, town.ID)
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		if a.Host == DemoHost {
			return a, nil
		}
	}
	return nil, fmt.Errorf("the town has no demo account")
}

func (c *Capability) townQueue(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	a, err := c.demoAccount(ctx, town)
	if err != nil {
		return "", nil, err
	}
	posts, err := c.Store.Posts(ctx, town.ID, 10, sharing.Pending, sharing.Sent, sharing.Failed)
	if err != nil || len(posts) == 0 {
		return "", nil, fmt.Errorf("the town has no post: %v", err)
	}
	return QueuePath, []string{a.Host, posts[0].ID, posts[0].Link}, nil
}

func (c *Capability) townAccounts(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	a, err := c.demoAccount(ctx, town)
	if err != nil {
		return "", nil, err
	}
	return AccountsPath, []string{a.Host, a.ID}, nil
}

func (c *Capability) townAccount(suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		a, err := c.demoAccount(ctx, town)
		if err != nil {
			return "", nil, err
		}
		return AccountsPath + "/" + a.ID + suffix, nil, nil
	}
}

func (c *Capability) townAccountIntact(ctx context.Context, town *tenant.Tenant) error {
	a, err := c.demoAccount(ctx, town)
	if err != nil {
		return err
	}
	if a.Checked != "" || a.Status != sharing.Active {
		return fmt.Errorf("the town's account changed: %+v", a)
	}
	return nil
}

// townPostTarget is a post of the town's in a state, made for the row.
type townPostTarget struct {
	c      *Capability
	status string
	id     string
}

func (c *Capability) townPost(status string) *townPostTarget {
	return &townPostTarget{c: c, status: status}
}

func (t *townPostTarget) path(suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		a, err := t.c.demoAccount(ctx, town)
		if err != nil {
			return "", nil, err
		}
		p, err := t.c.fixturePost(ctx, town, a, "isolation-"+t.status+suffix[1:], t.status)
		if err != nil {
			return "", nil, err
		}
		t.id = p.ID
		return QueuePath + "/publications/" + p.ID + suffix, nil, nil
	}
}

func (t *townPostTarget) still(ctx context.Context, town *tenant.Tenant) error {
	p, err := t.c.Store.Post(ctx, town.ID, t.id)
	if err != nil {
		return err
	}
	if p.Status != t.status {
		return fmt.Errorf("the town's post went from %s to %s", t.status, p.Status)
	}
	return nil
}
