package publishingweb

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/search"
)

//go:embed all:templates messages
var assets embed.FS

// Module is the web side of what capabilities publish together: the site
// search over every kind they index, and the partials and words their
// editors share.
type Module struct {
	s     *web.Server
	index *search.Index
}

// New returns the module, searching index.
func New(index *search.Index) *Module { return &Module{index: index} }

// Name implements web.Module.
func (m *Module) Name() string { return "publishing" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Routes implements web.Module.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Render.AddNav(web.NavItem{Key: "publishing.nav.search", Path: "/recherche", Order: 95})
	s.Render.AddDecorator(headerSearch)
	s.AddSitemap(func(context.Context, *tenant.Tenant) ([]string, error) { return []string{"/recherche"}, nil })
	s.Site("GET /recherche", m.search)
}

// maxQuery bounds the length of a search.
const maxQuery = 200

// search is the site search over everything published: news, events,
// pages, answers.
func (m *Module) search(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > maxQuery {
		q = q[:maxQuery]
	}
	data := map[string]any{"Query": q}
	if q != "" {
		res, err := m.index.Search(r.Context(), search.Query{TenantID: t.ID, Text: q, After: r.URL.Query().Get("apres")})
		if err != nil {
			return err
		}
		data["Results"], data["Q"] = res, url.QueryEscape(q)
	}
	p := m.s.Render.NewPage(r, "", data)
	p.Title = p.T("publishing.search.title")
	if q != "" {
		p.Title = p.T("publishing.search.results_for", q)
	}
	m.s.Render.Page(w, r, http.StatusOK, "publishing/search", p)
	return nil
}

// HeaderSearch is the search form the layout shows in the header of a
// collectivité's pages (decoration "headerSearch").
type HeaderSearch struct{ Action, Label, Submit string }

// MemoKey implements web.MemoKeyer.
func (h HeaderSearch) MemoKey() string { return h.Action + "\x00" + h.Label + "\x00" + h.Submit }

// headerSearch puts the site search in the header of every page of a
// collectivité: residents search for a service from wherever they are.
func headerSearch(_ *http.Request, p *web.Page) {
	if p.Tenant == nil || p.Tenant.IsPlatform() {
		return
	}
	p.Extra["headerSearch"] = HeaderSearch{Action: "/recherche", Label: p.T("publishing.search.label"), Submit: p.T("publishing.search.submit")}
}
