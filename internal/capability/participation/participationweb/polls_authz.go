package participationweb

import (
	"context"

	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// pollRows are the access rows of the poll routes.
func (c *Capability) pollRows() []access.Row { return nil }

// pollFixtures names the records the poll rows read.
func (c *Capability) pollFixtures(_ context.Context, _ *tenant.Tenant, _ access.Fixtures) error {
	return nil
}

// pollIsolation are the isolation rows of the poll routes.
func (c *Capability) pollIsolation() []kernel.IsolationRow { return nil }
