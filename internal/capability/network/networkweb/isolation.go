package networkweb

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"guichet/internal/capability/network"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
)

var _ kernel.Isolated = (*Capability)(nil)

// townOnly are names only the town's network holds.
var townOnly = []string{"Amicale des Tilleuls", "Épicerie solidaire", "Médiathèque Louise-Michel"}

// IsolationRows implements kernel.Isolated: the village's administrator
// neither sees nor changes the town's network, contacts and campaigns,
// and the town resident's session opens nothing there.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	admin, session := kernel.AsVillageAdmin, kernel.AsTownSession
	row := func(name, as, method string, form url.Values, target kernel.IsolationTarget, want int, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Form: form, Target: target, Want: want, Unchanged: unchanged}
	}
	ok, missing := http.StatusOK, http.StatusNotFound
	contact := url.Values{"name": {"Intrus"}, "email": {"intrus@sauvigny.localhost"}, "consent_date": {"2026-01-05"},
		"consent_source": {network.ConsentEmail}}
	return []kernel.IsolationRow{
		row("the village's network shows none of the town's organisations", admin, "GET", nil, kernel.Path(AdminPath, townOnly...), ok, nil),
		row("the village's ties show none of the town's", admin, "GET", nil, kernel.Path(TiesPath, townOnly...), ok, nil),
		row("the village's campaigns show none of the town's", admin, "GET", nil, kernel.Path(CampaignsPath, townOnly...), ok, nil),
		row("open a town organisation's sheet", admin, "GET", nil, c.townOrg(""), missing, nil),
		row("add a contact to a town organisation", admin, "POST", contact, c.townOrg("/contacts"), missing, c.townContactsIntact),
		row("add a tie to a town organisation", admin, "POST", url.Values{"to": {"x"}, "kind": {network.KindPartnership}},
			c.townOrg("/liens"), missing, c.townTiesIntact),
		row("confirm a town proposal", admin, "POST", nil, c.townTie(network.Proposed, "/confirmer"), missing, c.townTiesIntact),
		row("decline a town proposal", admin, "POST", nil, c.townTie(network.Proposed, "/refuser"), missing, c.townTiesIntact),
		row("end a town tie", admin, "POST", nil, c.townTie(network.Active, "/terminer"), missing, c.townTiesIntact),
		row("confirm a town contact's consent", admin, "POST", nil, c.townContact("/confirmer"), missing, c.townContactsIntact),
		row("withdraw a town contact", admin, "POST", nil, c.townContact("/retirer"), missing, c.townContactsIntact),
		row("open a town campaign", admin, "GET", nil, c.townCampaign, missing, nil),
		row("the town resident's session on the village's own organisations", session, "GET", nil, kernel.Path(MinePath),
			http.StatusSeeOther, nil),
		row("the town manager's session proposes a tie there", session, "POST", url.Values{"to": {"x"}, "kind": {network.KindPartnership}},
			c.townMine("/liens"), http.StatusUnauthorized, c.townTiesIntact),
	}
}

// townView is the town's network, which the demo filled.
func (c *Capability) townView(ctx context.Context, town *tenant.Tenant) (*network.View, error) {
	v, err := c.Store.View(ctx, town.ID)
	if err != nil {
		return nil, err
	}
	if len(v.Ties) == 0 {
		return nil, errors.New("the town's network has no tie: is the directory's demo there?")
	}
	return v, nil
}

// townOrg is a path under the sheet of the town's best-tied organisation.
func (c *Capability) townOrg(suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		v, err := c.townView(ctx, town)
		if err != nil {
			return "", nil, err
		}
		o := v.Orgs[v.Measures.Brokers[0]]
		return OrgPath + o.ID + suffix, []string{o.Name}, nil
	}
}

// townTie is a path under a tie of the town in state.
func (c *Capability) townTie(state, suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		ties, err := c.Store.Ties(ctx, town.ID, state)
		if err != nil || len(ties) == 0 {
			return "", nil, fmt.Errorf("no town tie %s: %v", state, err)
		}
		return TiesPath + "/" + ties[0].ID + suffix, nil, nil
	}
}

func (c *Capability) townContact(suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		list, err := c.Store.Contacts(ctx, town.ID)
		if err != nil || len(list) == 0 {
			return "", nil, fmt.Errorf("no town contact: %v", err)
		}
		return "/gestion/reseau/contacts/" + list[0].ID + suffix, []string{list[0].Name}, nil
	}
}

func (c *Capability) townCampaign(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	list, err := c.Store.Campaigns(ctx, town.ID, 1)
	if err != nil || len(list) == 0 {
		return "", nil, fmt.Errorf("no town campaign: %v", err)
	}
	return CampaignsPath + "/" + list[0].ID, []string{list[0].Subject}, nil
}

// townMine is a path under the manager's page of the Amicale.
func (c *Capability) townMine(suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		v, err := c.townView(ctx, town)
		if err != nil {
			return "", nil, err
		}
		for _, o := range v.Orgs {
			if o.Slug == "amicale-des-tilleuls" {
				return MinePath + "/" + o.ID + suffix, nil, nil
			}
		}
		return "", nil, errors.New("no Amicale des Tilleuls in the town's network")
	}
}

// townTiesIntact checks that the town's ties are as the demo left them:
// one proposal waiting, the others active.
func (c *Capability) townTiesIntact(ctx context.Context, town *tenant.Tenant) error {
	proposed, err := c.Store.Ties(ctx, town.ID, network.Proposed)
	if err != nil {
		return err
	}
	active, err := c.Store.Ties(ctx, town.ID, network.Active)
	if err != nil {
		return err
	}
	if len(proposed) != 1 || len(active) != len(townTies) {
		return fmt.Errorf("the town has %d proposals and %d active ties, want 1 and %d", len(proposed), len(active), len(townTies))
	}
	return nil
}

// townContactsIntact checks that the town's contacts are the demo's,
// each confirmed when it was given.
func (c *Capability) townContactsIntact(ctx context.Context, town *tenant.Tenant) error {
	list, err := c.Store.Contacts(ctx, town.ID)
	if err != nil {
		return err
	}
	if len(list) != len(townContacts) {
		return fmt.Errorf("the town has %d contacts, want %d", len(list), len(townContacts))
	}
	for _, ct := range list {
		if !ct.Confirmed.Equal(ct.ConsentAt) {
			return fmt.Errorf("the consent of %s was confirmed again", ct.Name)
		}
	}
	return nil
}
