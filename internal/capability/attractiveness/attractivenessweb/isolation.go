package attractivenessweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"guichet/internal/capability/attractiveness"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
)

var _ kernel.Isolated = (*Capability)(nil)

// IsolationRows implements kernel.Isolated: the village neither shows nor
// changes the town's premises, aids and contacts.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	admin := kernel.AsVillageAdmin
	row := func(name, as, method string, form url.Values, target kernel.IsolationTarget, want int, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Form: form, Target: target, Want: want, Unchanged: unchanged}
	}
	premise := func(suffix string) kernel.IsolationTarget {
		return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
			p, err := c.townPremise(ctx, town)
			if err != nil {
				return "", nil, err
			}
			return AdminPath + "/locaux/" + p.ID + suffix, []string{p.Title}, nil
		}
	}
	aid := func(suffix string) kernel.IsolationTarget {
		return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
			a, err := c.townAid(ctx, town)
			if err != nil {
				return "", nil, err
			}
			return AdminPath + "/aides/" + a.ID + suffix, []string{a.Eligible}, nil
		}
	}
	return []kernel.IsolationRow{
		row("the village's page for entrepreneurs shows none of the town's premises, aids or contacts", kernel.AsAnonymous, "GET", nil,
			c.townMarkers(BusinessPath), http.StatusOK, nil),
		row("the village's back office shows none of the town's premises, aids or contacts", admin, "GET", nil,
			c.townMarkers(AdminPath), http.StatusOK, nil),
		row("a town premise's page on the village's site", kernel.AsAnonymous, "GET", nil, func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
			p, err := c.townPremise(ctx, town)
			if err != nil {
				return "", nil, err
			}
			return p.Path(), []string{p.Title}, nil
		}, http.StatusNotFound, nil),
		row("open a town premise", admin, "GET", nil, premise(""), http.StatusNotFound, nil),
		row("change a town premise", admin, "POST", url.Values{"title": {"Local détourné"}, "kind": {"commerce"}, "address": {"Ailleurs"},
			"surface": {"10"}, "deal": {"location"}, "price": {"1"}, "unit": {"mois"}, "tax": {"HT"}, "contact_email": {"pirate@exemple.fr"}},
			premise(""), http.StatusNotFound, c.townPremiseIntact),
		row("delete a town premise", admin, "POST", nil, premise("/supprimer"), http.StatusNotFound, c.townPremiseIntact),
		row("open a town aid", admin, "GET", nil, aid(""), http.StatusNotFound, nil),
		row("change a town aid", admin, "POST", url.Values{"name": {"Aide détournée"}, "funder": {"etat"}, "eligible": {"Tous"}, "amount": {"1 €"}},
			aid(""), http.StatusNotFound, c.townAidIntact),
		row("delete a town aid", admin, "POST", nil, aid("/supprimer"), http.StatusNotFound, c.townAidIntact),
	}
}

// townPremise is the town's first demo premise.
func (c *Capability) townPremise(ctx context.Context, town *tenant.Tenant) (*attractiveness.Premise, error) {
	list, err := c.Store.Premises(ctx, town.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range list {
		if p.Title == DemoPremise {
			return p, nil
		}
	}
	return nil, fmt.Errorf("the town has no premise %q", DemoPremise)
}

func (c *Capability) townAid(ctx context.Context, town *tenant.Tenant) (*attractiveness.Aid, error) {
	list, err := c.Store.Aids(ctx, town.ID)
	if err != nil || len(list) == 0 {
		return nil, fmt.Errorf("the town has no aid: %v", err)
	}
	return list[0], nil
}

// townMarkers targets path with the town's premise, aid and contact as
// what must not show.
func (c *Capability) townMarkers(path string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		p, err := c.townPremise(ctx, town)
		if err != nil {
			return "", nil, err
		}
		a, err := c.townAid(ctx, town)
		if err != nil {
			return "", nil, err
		}
		contacts, err := c.Store.Contacts(ctx, town.ID)
		if err != nil {
			return "", nil, err
		}
		return path, []string{p.Title, a.Eligible, contacts.Person}, nil
	}
}

func (c *Capability) townPremiseIntact(ctx context.Context, town *tenant.Tenant) error {
	p, err := c.townPremise(ctx, town)
	if err != nil {
		return err
	}
	if p.ContactEmail != "economie@montclair.localhost" || !p.Published {
		return fmt.Errorf("the town's premise changed: %+v", p)
	}
	return nil
}

func (c *Capability) townAidIntact(ctx context.Context, town *tenant.Tenant) error {
	a, err := c.townAid(ctx, town)
	if err != nil {
		return err
	}
	if a.Name != "Aide à l'installation des commerces en centre-bourg" {
		return fmt.Errorf("the town's aid changed: %+v", a)
	}
	return nil
}
