package directoryweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"guichet/internal/capability/directory"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
)

var _ kernel.Isolated = (*Capability)(nil)

// townOnly are names only the town's directory holds.
var townOnly = []string{"Boulangerie Martin", "Librairie La Page", "Amicale des Tilleuls"}

// IsolationRows implements kernel.Isolated: the village's visitors and
// administrator neither see nor change the town's entries, managers and
// proposals, and the town resident's session opens nothing there.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	admin, anon, session := kernel.AsVillageAdmin, kernel.AsAnonymous, kernel.AsTownSession
	row := func(name, as, method string, form url.Values, target kernel.IsolationTarget, want int, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Form: form, Target: target, Want: want, Unchanged: unchanged}
	}
	ok, missing := http.StatusOK, http.StatusNotFound
	return []kernel.IsolationRow{
		row("the village's directory lists none of the town's entries", anon, "GET", nil, kernel.Path(ListPath, townOnly...), ok, nil),
		row("the village's search finds none of the town's entries", anon, "GET", nil,
			kernel.Path(ListPath+"?q=boulangerie", townOnly...), ok, nil),
		row("the village's open data holds none of the town's entries", anon, "GET", nil, kernel.Path(CSVPath, townOnly...), ok, nil),
		row("a town entry's page on the village's site", anon, "GET", nil, kernel.Path("/annuaire/boulangerie-martin", townOnly...), missing, nil),
		row("the village's back office lists none of the town's entries", admin, "GET", nil, kernel.Path(AdminPath, townOnly...), ok, nil),
		row("the village's moderation queue shows none of the town's proposals", admin, "GET", nil,
			kernel.Path(ModerationPath, townOnly...), ok, nil),
		row("open a town entry", admin, "GET", nil, c.townEntry(""), missing, nil),
		row("change a town entry", admin, "POST", url.Values{"name": {"Piratée"}, "category": {"commerce"}}, c.townEntry(""),
			missing, c.townEntryIntact),
		row("unpublish a town entry", admin, "POST", url.Values{"published": {"0"}}, c.townEntry("/publication"), missing, c.townEntryIntact),
		row("delete a town entry", admin, "POST", nil, c.townEntry("/supprimer"), missing, c.townEntryIntact),
		row("give a town entry's management", admin, "POST", url.Values{"manager_email": {"mairie@sauvigny.localhost"}},
			c.townEntry("/gestionnaires"), missing, c.townManagersIntact),
		row("withdraw a town entry's manager", admin, "POST", nil, c.townManager, missing, c.townManagersIntact),
		row("open a town proposal", admin, "GET", nil, c.townProposal(""), missing, nil),
		row("approve a town proposal", admin, "POST", nil, c.townProposal("/valider"), missing, c.townProposalWaiting),
		row("reject a town proposal", admin, "POST", url.Values{"reason": {"Non."}}, c.townProposal("/refuser"), missing, c.townProposalWaiting),
		row("the town resident's session on the village's own entries", session, "GET", nil, kernel.Path(MinePath), http.StatusSeeOther, nil),
		row("the town resident's session proposes on a town entry", session, "POST", url.Values{"summary": {"Piraté"}},
			c.mine, http.StatusUnauthorized, c.townProposalWaiting),
	}
}

// managed is the town's demo entry that an association's president
// manages.
func (c *Capability) managed(ctx context.Context, town *tenant.Tenant) (*directory.Entry, error) {
	return c.Store.BySlug(ctx, town.ID, DemoManaged)
}

func (c *Capability) townEntry(suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		e, err := c.managed(ctx, town)
		if err != nil {
			return "", nil, err
		}
		return AdminPath + "/" + e.ID + suffix, []string{e.Name}, nil
	}
}

func (c *Capability) mine(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	e, err := c.managed(ctx, town)
	if err != nil {
		return "", nil, err
	}
	return MinePath + "/" + e.ID, []string{e.Name}, nil
}

func (c *Capability) townEntryIntact(ctx context.Context, town *tenant.Tenant) error {
	e, err := c.managed(ctx, town)
	if err != nil {
		return fmt.Errorf("the town's entry is gone: %w", err)
	}
	if e.Name != "Amicale des Tilleuls, comité de quartier" || !e.Published {
		return fmt.Errorf("the town's entry changed: %q, published %v", e.Name, e.Published)
	}
	return nil
}

func (c *Capability) townManager(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	e, err := c.managed(ctx, town)
	if err != nil {
		return "", nil, err
	}
	ms, err := c.Store.Managers(ctx, town.ID, e.ID)
	if err != nil || len(ms) == 0 {
		return "", nil, fmt.Errorf("the town's entry has no manager: %v", err)
	}
	return AdminPath + "/" + e.ID + "/gestionnaires/" + ms[0].AccountID + "/retirer", nil, nil
}

func (c *Capability) townManagersIntact(ctx context.Context, town *tenant.Tenant) error {
	e, err := c.managed(ctx, town)
	if err != nil {
		return err
	}
	ms, err := c.Store.Managers(ctx, town.ID, e.ID)
	if err != nil {
		return err
	}
	if len(ms) != 1 {
		return fmt.Errorf("the town's entry has %d managers, want its one", len(ms))
	}
	return nil
}

// pendingOf is the town's demo proposal waiting.
func (c *Capability) pendingOf(ctx context.Context, town *tenant.Tenant) (*directory.Proposal, error) {
	list, err := c.Store.PendingProposals(ctx, town.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range list {
		if p.EntrySlug == DemoManaged {
			return p, nil
		}
	}
	return nil, fmt.Errorf("the town's demo proposal is no longer waiting")
}

func (c *Capability) townProposal(suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		p, err := c.pendingOf(ctx, town)
		if err != nil {
			return "", nil, err
		}
		return ModerationPath + "/" + p.ID + suffix, []string{p.EntryName}, nil
	}
}

func (c *Capability) townProposalWaiting(ctx context.Context, town *tenant.Tenant) error {
	p, err := c.pendingOf(ctx, town)
	if err != nil {
		return err
	}
	if p.Changes.Summary == "Piraté" {
		return fmt.Errorf("the town's proposal was replaced")
	}
	return nil
}
