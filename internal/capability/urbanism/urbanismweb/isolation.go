package urbanismweb

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"guichet/internal/capability/urbanism"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
)

var _ kernel.Isolated = (*Capability)(nil)

// IsolationRows implements kernel.Isolated: the town's parcels,
// addresses, zones and regulations, tried from the village's host.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	anon, admin := kernel.AsAnonymous, kernel.AsVillageAdmin
	row := func(name, as, method string, target kernel.IsolationTarget) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Target: target, Want: http.StatusNotFound}
	}
	parcel := func(path func(p *urbanism.Parcel) string) kernel.IsolationTarget {
		return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
			ter, err := c.Store.Territory(ctx, town.ID)
			if err != nil {
				return "", nil, err
			}
			p := ter.Parcels[0]
			return path(p), nil, nil
		}
	}
	zone := func(suffix string) kernel.IsolationTarget {
		return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
			z, err := c.townZone(ctx, town)
			if err != nil {
				return "", nil, err
			}
			return zonePath(z.Commune, z.Label) + suffix, []string{"Centre ancien du bourg"}, nil
		}
	}
	adminZone := func(suffix string) kernel.IsolationTarget {
		return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
			z, err := c.townZone(ctx, town)
			if err != nil {
				return "", nil, err
			}
			return AdminPath + "/zones/" + z.Commune + "/" + z.Label + suffix, nil, nil
		}
	}
	return []kernel.IsolationRow{
		row("a town parcel's sheet", anon, "GET", parcel(func(p *urbanism.Parcel) string { return parcelPath(p.ID) })),
		row("a town address", anon, "GET", func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
			found, err := c.Store.FindAddresses(ctx, town.ID, DemoAddress)
			if err != nil || len(found) == 0 {
				return "", nil, err
			}
			return HomePath + "/adresses/" + found[0].ID, nil, nil
		}),
		row("a town zone", anon, "GET", zone("")),
		row("a town zone's regulation", anon, "GET", zone("/reglement.pdf")),
		row("a town zone's regulation, for staff", admin, "GET", adminZone("")),
		{Name: "change a town zone's summary", As: admin, Method: "POST", Form: url.Values{"summary": {"Résumé écrit depuis le village."}},
			Target: adminZone(""), Want: http.StatusNotFound, Unchanged: c.summaryUnchanged},
	}
}

// townZone is the town's old centre, whose regulation the demo wrote.
func (c *Capability) townZone(ctx context.Context, town *tenant.Tenant) (*urbanism.Zone, error) {
	ter, err := c.Store.Territory(ctx, town.ID)
	if err != nil {
		return nil, err
	}
	for _, z := range ter.Zones {
		if z.Label == "UA" {
			return z, nil
		}
	}
	return nil, urbanism.ErrNoZone
}

// summaryUnchanged checks that the town's old centre kept its summary.
func (c *Capability) summaryUnchanged(ctx context.Context, town *tenant.Tenant) error {
	z, err := c.townZone(ctx, town)
	if err != nil {
		return err
	}
	ter, err := c.Store.Territory(ctx, town.ID)
	if err != nil {
		return err
	}
	if r := ter.Rule(z); r == nil || r.Summary != demoSummaries[0].text {
		return errSummaryChanged
	}
	return nil
}

// errSummaryChanged says that an attempt from the village changed the town.
var errSummaryChanged = errors.New("the town's UA summary changed")
