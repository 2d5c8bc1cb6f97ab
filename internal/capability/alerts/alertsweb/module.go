// Package alertsweb serves a collectivité's alerts: the banner above every
// page, the alerts' page with the subscription form and its emailed links,
// the Atom feed and the JSON API, and the editors' page.
package alertsweb

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"time"

	"guichet/internal/capability/alerts"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

//go:embed all:templates messages api
var assets embed.FS

// Module is the alerts' web module.
type Module struct {
	s     *web.Server
	store *alerts.Store
	cache *publishingweb.Cache
}

// cacheTTL bounds how long another process's change to the banners may go
// unseen.
const cacheTTL = 5 * time.Second

// New returns the module.
func New(store *alerts.Store) *Module {
	return &Module{store: store, cache: publishingweb.NewCache("alerts-banners", cacheTTL, store.Changes())}
}

// Name implements web.Module.
func (m *Module) Name() string { return "alerts" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// DisableCache makes every page read the database (tests counting queries).
func (m *Module) DisableCache() { m.cache.Disable() }

// Routes lists every URL of the alerts.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Render.AddDecorator(m.banners)
	s.AddSitemap(func(context.Context, *tenant.Tenant) ([]string, error) { return []string{"/alertes"}, nil })

	s.Site("GET /alertes", m.alerts)
	s.Site("GET /alertes/flux.atom", m.feed)
	s.Site("POST /alertes/abonnement", m.subscribe)
	s.Site("GET /alertes/confirmer/{token}", m.confirmForm)
	s.Site("POST /alertes/confirmer/{token}", m.confirm)
	s.Site("GET /alertes/desabonnement/{token}", m.unsubscribeForm)
	s.Site("POST /alertes/desabonnement/{token}", m.unsubscribe)
	s.Site("GET /api/v1/alerts", m.api)

	editor := s.Staff(account.RoleEditor)
	s.Site("GET /gestion/alertes", m.adminAlerts, editor)
	s.Site("POST /gestion/alertes", m.publish, editor)
	s.Site("POST /gestion/alertes/quartiers", m.saveAreas, editor)
	s.Site("POST /gestion/alertes/{id}/retirer", m.withdraw, editor)
}

// loc returns the request's collectivité's time zone.
func (m *Module) loc(r *http.Request) *time.Location {
	return tenant.FromContext(r.Context()).Location()
}

// baseURL is the collectivité's absolute address, for links in mail and feeds.
func (m *Module) baseURL(r *http.Request) string {
	return m.s.SiteURL(r, tenant.FromContext(r.Context()))
}
