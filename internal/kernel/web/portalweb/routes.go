// Package portalweb serves each collectivité's public shell: home page, legal
// notice, site map, language switch, theme, robots.txt and sitemap.xml.
package portalweb

import (
	"context"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"time"

	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

//go:embed templates messages
var assets embed.FS

// Module is the portal's web module.
type Module struct {
	s         *web.Server
	blocks    []HomeBlock
	feeds     []Feed
	practical []web.NavItem
	static    map[string]homeLinks // per language, translated once at Routes
	// paths keeps each collectivité's site map (the plan and sitemap.xml)
	// for a few seconds, dropped by any change of what it lists.
	paths *invalidate.Memo
}

// pathsTTL bounds how long another process's change may leave the site
// map stale.
const pathsTTL = 5 * time.Second

// homeLinks are the home page's feeds and practical links in one language.
type homeLinks struct{ feeds, practical []link }

// Feed is a capability's feed, announced in the home page's head for
// feed readers: its title's message key, its media type and path.
type Feed struct{ TitleKey, Type, Path string }

// HomeBlock is a capability's part of the home page (local information:
// active alerts, latest news, next events), shown in the order added.
type HomeBlock interface {
	HomeBlock(r *http.Request) (template.HTML, error)
}

// New returns the portal module, with no home-page block yet.
func New(changes *invalidate.Bus) *Module {
	return &Module{paths: invalidate.NewMemo(changes, "site-map", pathsTTL,
		invalidate.Tenant, invalidate.Content, invalidate.Procedure, invalidate.Agenda)}
}

// sitePaths is the collectivité's site map.
func (m *Module) sitePaths(ctx context.Context, t *tenant.Tenant) ([]string, error) {
	return invalidate.Memoized(m.paths, t.ID, "paths", func() ([]string, error) { return m.s.SitemapPaths(ctx, t) })
}

// AddHomeBlock adds a block to the home page; capabilities call it at
// Install, before the server starts.
func (m *Module) AddHomeBlock(b HomeBlock) { m.blocks = append(m.blocks, b) }

// AddFeed announces feeds on the home page, in the order added.
func (m *Module) AddFeed(f ...Feed) { m.feeds = append(m.feeds, f...) }

// AddPracticalLink adds links under the home page's practical
// information (the collectivité's address and hours).
func (m *Module) AddPracticalLink(l ...web.NavItem) { m.practical = append(m.practical, l...) }

// Name implements web.Module.
func (m *Module) Name() string { return "portal" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Routes lists every URL of the portal.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	m.static = map[string]homeLinks{}
	for _, lang := range web.Languages {
		var l homeLinks
		for _, f := range m.feeds {
			l.feeds = append(l.feeds, link{Path: f.Path, Label: s.Render.T(lang, f.TitleKey), Type: f.Type})
		}
		for _, n := range m.practical {
			l.practical = append(l.practical, link{Path: n.Path, Label: s.Render.T(lang, n.Key)})
		}
		m.static[lang] = l
	}
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
