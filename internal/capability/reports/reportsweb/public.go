package reportsweb

import (
	"context"

	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// publicRoutes adds the map and list, a report's page and photos, the
// follows, the area alerts, the links the mails carry and the
// resident's own reports.
func (m *Module) publicRoutes(s *web.Server) {}

// publicRows are the access rows of publicRoutes.
func (c *Capability) publicRows() []access.Row { return nil }

// publicFixtures makes the records publicRows name.
func (c *Capability) publicFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	return nil
}

// publicIsolation are the isolation rows of publicRoutes.
func (c *Capability) publicIsolation() []kernel.IsolationRow { return nil }
