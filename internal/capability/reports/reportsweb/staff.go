package reportsweb

import (
	"context"

	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// staffRoutes adds the staff's queue and handling, the categories, the
// Open311 keys and the figures.
func (m *Module) staffRoutes(s *web.Server) {}

// staffRows are the access rows of staffRoutes.
func (c *Capability) staffRows() []access.Row { return nil }

// staffFixtures makes the records staffRows name.
func (c *Capability) staffFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	return nil
}

// staffIsolation are the isolation rows of staffRoutes.
func (c *Capability) staffIsolation() []kernel.IsolationRow { return nil }
