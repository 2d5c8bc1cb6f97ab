package reportsweb

import (
	"context"
	"fmt"
	"net/url"

	"guichet/internal/capability/reports"
	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

var (
	_ kernel.Guarded        = (*Capability)(nil)
	_ kernel.AccessFixtured = (*Capability)(nil)
	_ kernel.Isolated       = (*Capability)(nil)
)

// AccessRows implements kernel.Guarded: the public pages and the links
// the mails carry, the form, the staff's pages and the Open311 endpoint.
func (c *Capability) AccessRows() []access.Row {
	rows := append(c.publicRows(), c.formRows()...)
	rows = append(rows, c.staffRows()...)
	return append(rows, c.open311Rows()...)
}

// open311Rows: the endpoint is public, a post's key being checked after
// its fields (the row's, missing its service_code, is refused as such).
func (c *Capability) open311Rows() []access.Row {
	public := access.Public()
	file := func(name string) access.Build {
		return access.Fixed(func(access.Fixtures) access.Params { return access.Params{"file": name} })
	}
	return []access.Row{
		access.For("site GET "+Open311Prefix+"/{file}", public, file("services.json")),
		access.For("site POST "+Open311Prefix+"/{file}", public, access.Posting(func(access.Fixtures) access.Params {
			return access.Params{"file": "requests.json"}
		}, url.Values{"api_key": {"sig_inconnue"}})),
		access.For("site GET "+Open311Prefix+"/services/{file}", public, file("voirie-nid-de-poule.json")),
		access.For("site GET "+Open311Prefix+"/requests/{file}", public, access.Fixed(func(f access.Fixtures) access.Params {
			return access.Params{"file": f.Get("open311-request") + ".xml"}
		})),
		access.For("site GET "+Open311Prefix+"/tokens/{file}", public, access.Fixed(func(f access.Fixtures) access.Params {
			return access.Params{"file": f.Get("open311-request") + ".json"}
		})),
	}
}

// AccessFixtures implements kernel.AccessFixtured.
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	fixtures := []func(context.Context, *tenant.Tenant, access.Fixtures) error{c.publicFixtures, c.formFixtures,
		c.staffFixtures, c.open311Fixtures}
	for _, fix := range fixtures {
		if err := fix(ctx, town, f); err != nil {
			return err
		}
	}
	return nil
}

// open311Fixtures names a public report of the town's demo.
func (c *Capability) open311Fixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	list, _, err := c.Store.PublicList(ctx, town.ID, reports.PublicFilter{Limit: 1})
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return fmt.Errorf("reports: the town's demo has no public report")
	}
	f.Set("open311-request", list[0].ID)
	return nil
}

// IsolationRows implements kernel.Isolated.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	rows := append(c.publicIsolation(), c.formIsolation()...)
	rows = append(rows, c.staffIsolation()...)
	return append(rows, c.open311Isolation()...)
}
