package reportsweb

import (
	"context"

	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// publicRows are the access rows of publicRoutes.
func (c *Capability) publicRows() []access.Row { return nil }

// publicFixtures makes the records publicRows name.
func (c *Capability) publicFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	return nil
}

// publicIsolation are the isolation rows of publicRoutes.
func (c *Capability) publicIsolation() []kernel.IsolationRow { return nil }
