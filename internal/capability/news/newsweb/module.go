// Package newsweb serves a collectivité's news: the list by category, each
// item with its easy-to-read and English versions, the Atom feed, the JSON
// API, cover images, the home page's latest news, and the editors' pages.
package newsweb

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"time"

	"guichet/internal/capability/news"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

//go:embed all:templates messages api
var assets embed.FS

// Module is the news' web module.
type Module struct {
	s     *web.Server
	desk  publishingweb.Desk
	store *news.Store
	cache *publishingweb.Cache
	// replies lists an item's approved replies (kernel.Replies), set at
	// Install.
	replies func(ctx context.Context, tenantID, kind, id string) ([]kernel.Reply, error)
}

// homeTTL bounds how long another process's change to what the home page
// and banners show may go unseen.
const homeTTL = 5 * time.Second

// New returns the module.
func New(store *news.Store) *Module {
	return &Module{store: store, cache: publishingweb.NewCache("news-home", homeTTL, store.Changes())}
}

// Name implements web.Module.
func (m *Module) Name() string { return "news" }

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
