// Package platform serves the operator's host (the bare base domain): the
// list of hosted collectivités and the operator console.
package tenantweb

import (
	"context"
	"embed"
	"io/fs"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

//go:embed templates messages
var assets embed.FS

// Module is the platform's web module.
type Module struct {
	s       *web.Server
	tenants *tenant.Store
	logos   *tenant.Logos
	// Usage, when set, measures what a collectivité uses of its quotas:
	// the bytes of its files and the messages queued since its day began.
	Usage func(ctx context.Context, t *tenant.Tenant) (storage int64, mailToday int, err error)
}

// New returns the platform module.
func New(tenants *tenant.Store, logos *tenant.Logos) *Module {
	return &Module{tenants: tenants, logos: logos}
}

// Name implements web.Module.
func (m *Module) Name() string { return "platform" }

// Assets implements web.Module.
func (m *Module) Assets() fs.FS { return assets }

// Routes lists every URL of the operator's host.
func (m *Module) Routes(s *web.Server) {
	m.s = s
	s.Render.AddPlatformNav(web.NavItem{Key: "nav.home", Path: "/", Order: 0},
		web.NavItem{Key: "platform.console", Path: "/console", Order: 10})
	op := s.Staff(account.RoleOperator)
	s.Platform("GET /{$}", m.directory)
	s.Platform("GET /console", m.console, op)
	s.Platform("GET /console/collectivites/nouvelle", m.newTenant, op)
	s.Uploads(tenantFormBody).Platform("POST /console/collectivites", m.createTenant, op)
	s.Platform("GET /console/collectivites/{id}", m.editTenant, op)
	s.Uploads(tenantFormBody).Platform("POST /console/collectivites/{id}", m.updateTenant, op)
	s.Platform("POST /console/collectivites/{id}/statut", m.setStatus, op)
	s.Platform("GET /console/collectivites/{id}/quotas", m.quotas, op)
	s.Platform("POST /console/collectivites/{id}/quotas", m.saveQuotas, op)
	s.Site("GET /logo", m.logo)
}
