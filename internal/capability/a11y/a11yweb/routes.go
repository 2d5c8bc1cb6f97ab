// Package a11yweb serves the accessibility side of every site: the RGAA
// statement, the administrators' audit form, the display preferences, the
// footer's conformity mention and the component gallery.
package a11yweb

import (
	"context"
	"embed"
	"io/fs"

	"guichet/internal/capability/a11y"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

//go:embed templates messages
var assets embed.FS

// ProfileSaver stores a signed-in person's display preferences with their
// profile; the accounts store implements it.
type ProfileSaver interface {
	UpdateProfile(ctx context.Context, tenantID, userID, name, lang string, prefs account.Preferences) error
}

// Module is the accessibility web module.
type Module struct {
	s        *web.Server
	audits   *a11y.Store
	profiles ProfileSaver
}

// New returns the module; profiles may be nil, then preferences live in
// the cookie only.
func New(audits *a11y.Store, profiles ProfileSaver) *Module {
	return &Module{audits: audits, profiles: profiles}
}

// Name implements web.Module.
func (m *Module) Name() string { return "a11yweb" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Routes lists every URL of the module.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Render.AddDecorator(m.decorate)
	s.AddSitemap(func(context.Context, *tenant.Tenant) ([]string, error) {
		return []string{"/accessibilite", "/preferences"}, nil
	})
	admin := s.Staff(account.RoleAdmin)
	s.Site("GET /accessibilite", m.statement)
	s.Site("GET /gestion/accessibilite", m.auditForm, admin)
	s.Site("POST /gestion/accessibilite", m.saveAudit, admin)
	for _, add := range []func(string, web.HandlerFunc, ...web.Middleware){s.Site, s.Platform} {
		add("GET /preferences", m.preferences)
		add("POST /preferences", m.savePreferences)
		add("GET /composants", m.gallery)
	}
	s.Platform("GET /accessibilite", m.statement)
}
