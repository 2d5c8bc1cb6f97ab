// Package portal serves each collectivité's public shell: home page, legal
// notice, site map, language switch, theme, robots.txt and sitemap.xml.
package portalweb

import (
	"embed"
	"io/fs"
	"net/http"

	"guichet/internal/kernel/web"
)

//go:embed templates messages
var assets embed.FS

// Module is the portal's web module.
type Module struct {
	s      *web.Server
	digest Digest
}

// Digest gives the home page its local information: active alerts,
// latest news, next events.
type Digest interface {
	HomeDigest(r *http.Request) (any, error)
}

// New returns the portal module; home may be nil (no local information).
func New(home Digest) *Module { return &Module{digest: home} }

// Name implements web.Module.
func (m *Module) Name() string { return "portal" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Routes lists every URL of the portal.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Render.AddNav(web.NavItem{Key: "nav.home", Path: "/", Order: 0})
	s.AddSitemap(m.staticPaths)
	s.AddPlatformSitemap(m.staticPaths)
	s.Site("GET /{$}", m.home)
	s.Site("GET /mentions-legales", m.legal)
	s.Site("GET /plan-du-site", m.siteMap)
	s.Site("GET /langue/{lang}", m.switchLanguage)
	s.Site("GET /theme.css", m.theme)
	s.Site("GET /robots.txt", m.robots)
	s.Site("GET /sitemap.xml", m.sitemapXML)
	s.Platform("GET /mentions-legales", m.legal)
	s.Platform("GET /plan-du-site", m.siteMap)
	s.Platform("GET /langue/{lang}", m.switchLanguage)
	s.Platform("GET /robots.txt", m.robots)
}
