package communitiesweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"guichet/internal/capability/communities"
	"guichet/internal/kernel"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

var _ kernel.Isolated = (*Capability)(nil)

// The town's demo community the rows aim at, and what only it holds.
const (
	isolatedSlug = "quartier-des-tilleuls"
	isolatedName = "Quartier des Tilleuls"
)

// IsolationRows implements kernel.Isolated: from the village's host,
// nobody sees, joins, animates or changes the town's communities, nor
// stops a town resident's digest with their link.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	admin, session, anon := kernel.AsVillageAdmin, kernel.AsTownSession, kernel.AsAnonymous
	row := func(name, as, method string, form url.Values, target kernel.IsolationTarget, want int, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Form: form, Target: target, Want: want, Unchanged: unchanged}
	}
	page := kernel.Path("/communautes/"+isolatedSlug, isolatedName)
	return []kernel.IsolationRow{
		row("the village's list shows none of the town's communities", anon, "GET", nil,
			kernel.Path("/communautes", isolatedName, "Jardins partagés de la Gare", "Marche et patrimoine"), http.StatusOK, nil),
		row("a town community's page", anon, "GET", nil, page, http.StatusNotFound, nil),
		row("join a town community", admin, "POST", nil, kernel.Path("/communautes/"+isolatedSlug+"/rejoindre"),
			http.StatusNotFound, c.townIntact),
		row("the animators' page of a town community", admin, "GET", nil, kernel.Path("/communautes/"+isolatedSlug+"/animer", isolatedName),
			http.StatusNotFound, nil),
		row("post in a town community", admin, "POST", url.Values{"title": {"Annonce pirate"}, "body": {"Texte pirate."}},
			kernel.Path("/communautes/"+isolatedSlug+"/annonces"), http.StatusNotFound, c.townIntact),
		row("the town resident's page on the village's site", session, "GET", nil, kernel.Path(MinePath, isolatedName),
			http.StatusSeeOther, nil),
		row("the town resident's digest link on the village's site", anon, "GET", nil, c.townToken, http.StatusNotFound, nil),
		row("stop the town resident's digest from the village's site", anon, "POST", nil, c.townToken, http.StatusNotFound, c.townIntact),
		row("the village's back office lists none of the town's communities", admin, "GET", nil,
			kernel.Path(AdminPath, isolatedName, "Jardins partagés de la Gare"), http.StatusOK, nil),
		row("a town community's form", admin, "GET", nil, c.townAdmin(""), http.StatusNotFound, nil),
		row("change a town community", admin, "POST", url.Values{"name": {"Piratée"}, "kind": {communities.Interest}},
			c.townAdmin(""), http.StatusNotFound, c.townIntact),
		row("delete a town community", admin, "POST", nil, c.townAdmin("/supprimer"), http.StatusNotFound, c.townIntact),
		row("name an animator of a town community", admin, "POST", url.Values{"email": {demo.Resident}},
			c.townAdmin("/animateurs"), http.StatusNotFound, c.townIntact),
	}
}

// townCommunity is the town's demo neighbourhood.
func (c *Capability) townCommunity(ctx context.Context, town *tenant.Tenant) (*communities.Community, error) {
	return c.Store.BySlug(ctx, town.ID, isolatedSlug)
}

func (c *Capability) townAdmin(suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		cm, err := c.townCommunity(ctx, town)
		if err != nil {
			return "", nil, err
		}
		return AdminPath + "/" + cm.ID + suffix, []string{isolatedName}, nil
	}
}

// townToken is the digest link of the town's demo resident.
func (c *Capability) townToken(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	u, err := c.k.Accounts.ByEmail(ctx, town.ID, demo.Resident)
	if err != nil {
		return "", nil, err
	}
	return communities.UnsubscribePrefix + c.Store.UnsubscribeToken(town.ID, u.ID), nil, nil
}

// townIntact checks the town's neighbourhood: its name, its members, no
// announcement from the village, no other animator, the demo resident's
// digest on.
func (c *Capability) townIntact(ctx context.Context, town *tenant.Tenant) error {
	cm, err := c.townCommunity(ctx, town)
	if err != nil {
		return fmt.Errorf("the town's community: %w", err)
	}
	if cm.Name != isolatedName || cm.Kind != communities.Neighbourhood {
		return fmt.Errorf("the town's community changed: %q, %s", cm.Name, cm.Kind)
	}
	u, err := c.k.Accounts.ByEmail(ctx, town.ID, demo.Resident)
	if err != nil {
		return err
	}
	if ok, _ := c.Store.IsAnimator(ctx, town.ID, cm.ID, u.ID); ok {
		return fmt.Errorf("the village named an animator of the town's community")
	}
	ms, err := c.Store.Memberships(ctx, town.ID, u.ID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Community.ID == cm.ID && m.Notify != communities.NotifyDigest {
			return fmt.Errorf("the town resident's digest was stopped")
		}
	}
	items, err := c.Store.Feed(ctx, town.ID, []*communities.Community{cm}, communities.Window{To: c.k.Now()}, 100)
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.Title == "Annonce pirate" {
			return fmt.Errorf("the village posted in the town's community")
		}
	}
	return nil
}
