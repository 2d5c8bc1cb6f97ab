// Package contentweb serves the local information of a collectivité:
// news, agenda and registrations, their Atom and iCalendar feeds, the JSON API, and the
// editors' back office for all of them.
package contentweb

import (
	"embed"
	"io/fs"
	"net/http"
	"time"

	"guichet/internal/capability/content"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

//go:embed all:templates messages api
var assets embed.FS

// Module is the content web module.
type Module struct {
	s     *web.Server
	desk  publishingweb.Desk
	store *content.Store
	cache *publishingweb.Cache
}

// homeTTL bounds how long another process's change to what the home page
// and banners show may go unseen.
const homeTTL = 5 * time.Second

// New returns the module.
func New(store *content.Store) *Module {
	return &Module{store: store, cache: publishingweb.NewCache("content-home", homeTTL, store.Changes())}
}

// Name implements web.Module.
func (m *Module) Name() string { return "content" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// loc returns the request's collectivité's time zone.
func (m *Module) loc(r *http.Request) *time.Location {
	return tenant.FromContext(r.Context()).Location()
}

// baseURL is the collectivité's absolute address, for links in mail and feeds.
func (m *Module) baseURL(r *http.Request) string {
	return m.s.SiteURL(r, tenant.FromContext(r.Context()))
}
