package attractivenessweb

import (
	"context"
	"fmt"
	"net/url"

	"guichet/internal/capability/attractiveness"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// AccessRows implements kernel.Guarded: the public pages, and the back
// office for the administrators and the agents of the vie-locale service.
// The forms are sent without their required field: refused on the form,
// they change nothing.
func (c *Capability) AccessRows() []access.Row {
	public, staff := access.Public(), access.OfService(Service, account.RoleAgent)
	named, fixed, posting := access.Named, access.Fixed, access.Posting
	premise, aid := named("id", "attractiveness-premise"), named("id", "attractiveness-aid")
	return []access.Row{
		access.For("site GET /entreprendre", public, nil),
		access.For("site GET /entreprendre/locaux/{slug}", public, fixed(named("slug", "attractiveness-slug"))),
		access.For("site GET /visiter", public, nil),

		access.For("site GET /gestion/attractivite", staff, nil),
		access.For("site POST /gestion/attractivite/contacts", staff, posting(nil, url.Values{"service": {""}})),
		access.For("site GET /gestion/attractivite/locaux/nouveau", staff, nil),
		access.For("site POST /gestion/attractivite/locaux/nouveau", staff, posting(nil, url.Values{"title": {""}})),
		access.For("site GET /gestion/attractivite/locaux/{id}", staff, fixed(premise)),
		access.For("site POST /gestion/attractivite/locaux/{id}", staff, posting(premise, url.Values{"title": {""}})),
		access.For("site POST /gestion/attractivite/locaux/{id}/supprimer", staff, access.Taken("id", "attractiveness-premises")).Renewed(),
		access.For("site GET /gestion/attractivite/aides/nouvelle", staff, nil),
		access.For("site POST /gestion/attractivite/aides/nouvelle", staff, posting(nil, url.Values{"name": {""}})),
		access.For("site GET /gestion/attractivite/aides/{id}", staff, fixed(aid)),
		access.For("site POST /gestion/attractivite/aides/{id}", staff, posting(aid, url.Values{"name": {""}})),
		access.For("site POST /gestion/attractivite/aides/{id}/supprimer", staff, access.Taken("id", "attractiveness-aids")).Renewed(),
	}
}

// AccessFixtures implements kernel.AccessFixtured: a premise on offer and
// an aid of the town's, and others to delete.
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	p, err := c.fixturePremise(ctx, town, fmt.Sprintf("Local de la matrice %d", f.Next()))
	if err != nil {
		return err
	}
	f.Set("attractiveness-premise", p.ID)
	f.Set("attractiveness-slug", p.Slug)
	if err := f.Fill("attractiveness-premises", f.Uses(), func() (string, error) {
		p, err := c.fixturePremise(ctx, town, fmt.Sprintf("Local à supprimer %d", f.Next()))
		return p.ID, err
	}); err != nil {
		return err
	}
	a, err := c.fixtureAid(ctx, town, fmt.Sprintf("Aide de la matrice %d", f.Next()))
	if err != nil {
		return err
	}
	f.Set("attractiveness-aid", a.ID)
	return f.Fill("attractiveness-aids", f.Uses(), func() (string, error) {
		a, err := c.fixtureAid(ctx, town, fmt.Sprintf("Aide à supprimer %d", f.Next()))
		return a.ID, err
	})
}

func (c *Capability) fixturePremise(ctx context.Context, town *tenant.Tenant, title string) (*attractiveness.Premise, error) {
	p := &attractiveness.Premise{TenantID: town.ID, Title: title, Kind: attractiveness.Shop, Address: "1 rue des Essais",
		Surface: 50, Deal: attractiveness.Rent, PriceCents: 50000, Unit: attractiveness.PerMonth, Tax: attractiveness.BeforeTax,
		ContactEmail: "economie@montclair.localhost", Published: true}
	return p, c.Store.AddPremise(ctx, p)
}

func (c *Capability) fixtureAid(ctx context.Context, town *tenant.Tenant, name string) (*attractiveness.Aid, error) {
	a := &attractiveness.Aid{TenantID: town.ID, Name: name, Funder: attractiveness.Commune, Eligible: "Les commerces", Amount: "1 000 €"}
	return a, c.Store.AddAid(ctx, a)
}
