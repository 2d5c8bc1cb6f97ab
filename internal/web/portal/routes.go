// Package portal serves each collectivité's public shell: home page, legal
// pages, site map, language switch, theme, robots.txt and sitemap.xml.
package portal

import (
	"embed"
	"io/fs"

	"guichet/internal/web"
)

//go:embed templates messages
var assets embed.FS

// Module is the portal's web module.
type Module struct{ s *web.Server }

// New returns the portal module.
func New() *Module { return &Module{} }

// Name implements web.Module.
func (m *Module) Name() string { return "portal" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Routes lists every URL of the portal.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Render.AddNav(web.NavItem{Key: "nav.home", Path: "/", Order: 0})
	s.AddSitemap(m.staticPaths)
	s.Site("GET /{$}", m.home)
	s.Site("GET /mentions-legales", m.legal)
	s.Site("GET /donnees-personnelles", m.privacy)
	s.Site("GET /plan-du-site", m.siteMap)
	s.Site("GET /langue/{lang}", m.switchLanguage)
	s.Site("GET /theme.css", m.theme)
	s.Site("GET /robots.txt", m.robots)
	s.Site("GET /sitemap.xml", m.sitemapXML)
	s.Platform("GET /mentions-legales", m.legal)
	s.Platform("GET /donnees-personnelles", m.privacy)
	s.Platform("GET /plan-du-site", m.siteMap)
	s.Platform("GET /langue/{lang}", m.switchLanguage)
	s.Platform("GET /robots.txt", m.robots)
}
