// Package appointmentweb serves appointments: the resident's booking flow
// (service → type → day and time → details → confirmation) without
// JavaScript, the manage link, the waiting list, the agents' views and the
// JSON API.
package appointmentweb

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"guichet/internal/capability/appointment"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

//go:embed all:templates messages api
var assets embed.FS

// Module is the appointments web module.
type Module struct {
	s     *web.Server
	store *appointment.Store
}

// New returns the module. Booking and
// the waiting list go through the server's abuse limits (abuse.Booking,
// abuse.WaitingList).
func New(store *appointment.Store) *Module {
	return &Module{store: store}
}

// Name implements web.Module.
func (m *Module) Name() string { return "appointment" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// loc returns the request's collectivité and its time zone.
func (m *Module) loc(r *http.Request) (*tenant.Tenant, *time.Location) {
	t := tenant.FromContext(r.Context())
	return t, t.Location()
}

// crumb is one link of the breadcrumbs.
type crumb struct{ Label, URL string }

// flow adds the booking flow's step labels and breadcrumbs (pairs of
// path and label) to a page whose Data is a map.
func flow(p *web.Page, crumbs ...string) {
	d := p.Data.(map[string]any)
	d["Steps"] = strings.Split(p.T("appointment.steps"), "|")
	var items []crumb
	for i := 0; i+1 < len(crumbs); i += 2 {
		items = append(items, crumb{URL: crumbs[i], Label: crumbs[i+1]})
	}
	d["Crumbs"] = items
}
