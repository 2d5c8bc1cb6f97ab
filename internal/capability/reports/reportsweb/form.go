package reportsweb

import (
	"context"

	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// formRoutes adds the form that files a report, its steps and photos.
func (m *Module) formRoutes(s *web.Server) {}

// formRows are the access rows of formRoutes.
func (c *Capability) formRows() []access.Row { return nil }

// formFixtures makes the records formRows name.
func (c *Capability) formFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	return nil
}

// formIsolation are the isolation rows of formRoutes.
func (c *Capability) formIsolation() []kernel.IsolationRow { return nil }
