package urbanismweb

import (
	"context"
	"fmt"
	"net/url"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// AccessRows implements kernel.Guarded: the public search, maps, sheets
// and zones, and the administrators' imports and regulations.
func (c *Capability) AccessRows() []access.Row {
	public, admin := access.Public(), access.StaffOnly(account.RoleAdmin)
	fixed, posting := access.Fixed, access.Posting
	zone := func(f access.Fixtures) access.Params {
		return access.Params{"commune": f.Get("urbanism-commune"), "label": f.Get("urbanism-label")}
	}
	return []access.Row{
		access.For("site GET /urbanisme", public, nil),
		access.For("site GET /urbanisme/carte", public, nil),
		access.For("site GET /urbanisme/point", public, nil),
		access.For("site GET /urbanisme/adresses/{id}", public, fixed(access.Named("id", "urbanism-address"))),
		access.For("site GET /urbanisme/parcelles/{id}", public, fixed(access.Named("id", "urbanism-parcel"))),
		access.For("site GET /urbanisme/registre", public, nil),
		access.For("site GET /urbanisme/registre/flux.atom", public, nil),
		access.For("site GET /urbanisme/zones", public, nil),
		access.For("site GET /urbanisme/zones/{commune}/{label}", public, fixed(zone)),
		access.For("site GET /urbanisme/zones/{commune}/{label}/reglement.pdf", public, fixed(zone)),

		access.For("site GET /gestion/urbanisme", admin, nil),
		access.For("site POST /gestion/urbanisme/import", admin, posting(nil, url.Values{"source": {"inconnue"}})),
		access.For("site GET /gestion/urbanisme/zones/{commune}/{label}", admin, fixed(zone)),
		access.For("site POST /gestion/urbanisme/zones/{commune}/{label}", admin, posting(zone, url.Values{"summary": {"Résumé de la matrice."}})),
		access.For("site POST /gestion/urbanisme/zones/{commune}/{label}/reglement", admin, posting(zone, nil)),
	}
}

// AccessFixtures implements kernel.AccessFixtured: a parcel, an address
// and a zone of the town's demo.
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	ter, err := c.Store.Territory(ctx, town.ID)
	if err != nil {
		return err
	}
	if len(ter.Parcels) == 0 || len(ter.Zones) == 0 {
		return fmt.Errorf("urbanism fixtures: the town has no parcel or zone")
	}
	f.Set("urbanism-parcel", ter.Parcels[0].ID)
	// The demo put each zone's regulation online.
	z := ter.Zones[0]
	f.Set("urbanism-commune", z.Commune)
	f.Set("urbanism-label", z.Label)
	found, err := c.Store.FindAddresses(ctx, town.ID, DemoAddress)
	if err != nil || len(found) == 0 {
		return fmt.Errorf("urbanism fixtures: no address %q: %v", DemoAddress, err)
	}
	f.Set("urbanism-address", found[0].ID)
	return nil
}
