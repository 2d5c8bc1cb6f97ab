// Package pagesweb serves the practical pages of a collectivité, their
// menu, and the editors' pages that write, publish and restore them.
package pagesweb

import (
	"context"
	"embed"
	"io/fs"
	"time"

	"guichet/internal/capability/pages"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

//go:embed all:templates messages
var assets embed.FS

// Module is the pages' web module.
type Module struct {
	s     *web.Server
	desk  publishingweb.Desk
	store *pages.Store
}

// New returns the module.
func New(store *pages.Store) *Module { return &Module{store: store} }

// Name implements web.Module.
func (m *Module) Name() string { return "pages" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Routes lists every URL of the practical pages.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	m.desk = publishingweb.Desk{Server: s, Now: func() time.Time { return m.store.Now() }, Module: "pages"}
	s.Render.AddNav(web.NavItem{Key: "pages.nav", Path: "/vie-pratique", Order: 30})
	s.AddSitemap(m.sitemap)

	s.Site("GET /vie-pratique", m.index)
	s.Site("GET /vie-pratique/{slug}", m.page)

	editor := s.Staff(account.RoleEditor)
	h := m.desk.History(m.store.Revisions, m.store.Revision)
	s.Site("GET /gestion/pages", m.adminList, editor)
	s.Site("GET /gestion/pages/nouvelle", m.form, editor)
	s.Site("POST /gestion/pages/nouvelle", m.save, editor)
	s.Site("GET /gestion/pages/{id}", m.form, editor)
	s.Site("POST /gestion/pages/{id}", m.save, editor)
	s.Site("POST /gestion/pages/{id}/statut", m.status, editor)
	s.Site("GET /gestion/pages/{id}/historique", h.Page(m.kind()), editor)
	s.Site("GET /gestion/pages/{id}/historique/{rev}", h.Revision(m.kind()), editor)
	s.Site("POST /gestion/pages/{id}/historique/{rev}/restaurer", h.Restore(m.kind()), editor)
}

// sitemap lists the section and its published pages.
func (m *Module) sitemap(ctx context.Context, t *tenant.Tenant) ([]string, error) {
	menu, err := m.store.Menu(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	paths := []string{"/vie-pratique"}
	for _, p := range menu {
		paths = append(paths, p.URL())
	}
	return paths, nil
}
