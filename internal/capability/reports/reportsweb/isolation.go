package reportsweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"guichet/internal/capability/reports"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
)

// townOnly are words only the town's demo reports and categories hold.
var townOnly = []string{"Graffiti ou tag", "Corbeille pleine ou cassée", "Un matelas et deux chaises"}

// open311Isolation: the village's Open311 endpoint lists and opens none
// of the town's services and requests, and takes no post made with the
// town's key.
func (c *Capability) open311Isolation() []kernel.IsolationRow {
	anon := kernel.AsAnonymous
	ok, missing := http.StatusOK, http.StatusNotFound
	// The town's key is made when the row runs; the form, a map, then
	// carries it.
	post := url.Values{"service_code": {"proprete-graffiti"}, "lat": {"47.2"}, "long": {"5.9"},
		"description": {"Tag sur le lavoir."}, "email": {"client@application.localhost"}}
	return []kernel.IsolationRow{
		{Name: "the village's Open311 services hold none of the town's categories", As: anon, Method: "GET",
			Target: kernel.Path(Open311Prefix+"/services.json", townOnly...), Want: ok},
		{Name: "a town category's Open311 definition on the village's site", As: anon, Method: "GET",
			Target: kernel.Path(Open311Prefix+"/services/proprete-graffiti.xml", townOnly...), Want: missing},
		{Name: "the village's Open311 requests hold none of the town's reports", As: anon, Method: "GET",
			Target: c.townReport(Open311Prefix+"/requests.json", ""), Want: ok},
		{Name: "a town report through the village's Open311 endpoint", As: anon, Method: "GET",
			Target: c.townReport(Open311Prefix+"/requests/", ".json"), Want: missing},
		{Name: "post to the village with the town's Open311 key", As: anon, Method: "POST", Form: post,
			Target: c.withTownKey(post), Want: http.StatusForbidden, Unchanged: c.townReportsCounted},
	}
}

// townReport targets prefix + a public town report's id + suffix (only
// prefix when suffix is ""), with that report's description as the leak.
func (c *Capability) townReport(prefix, suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		list, _, err := c.Store.PublicList(ctx, town.ID, reports.PublicFilter{Limit: 1})
		if err != nil || len(list) == 0 {
			return "", nil, fmt.Errorf("the town has no public report: %v", err)
		}
		leak := append([]string{list[0].ID, list[0].Description}, townOnly...)
		if suffix == "" {
			return prefix, leak, nil
		}
		return prefix + list[0].ID + suffix, leak, nil
	}
}

// withTownKey makes a key of the town's and puts it in form.
func (c *Capability) withTownKey(form url.Values) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		_, secret, err := c.Store.CreateKey(ctx, town.ID, "Client de la ville")
		if err != nil {
			return "", nil, err
		}
		form.Set("api_key", secret)
		return Open311Prefix + "/requests.json", nil, nil
	}
}

// townReportsCounted checks that no report bears the post's description
// in the town.
func (c *Capability) townReportsCounted(ctx context.Context, town *tenant.Tenant) error {
	list, _, err := c.Store.PublicList(ctx, town.ID, reports.PublicFilter{Limit: 100})
	if err != nil {
		return err
	}
	for _, r := range list {
		if r.Description == "Tag sur le lavoir." {
			return fmt.Errorf("the village's post filed report %s in the town", r.Reference)
		}
	}
	return nil
}
