package participationweb

import (
	"context"

	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// debateRows are the access rows of the debate routes.
func (c *Capability) debateRows() []access.Row { return nil }

// debateFixtures names the records the debate rows read.
func (c *Capability) debateFixtures(_ context.Context, _ *tenant.Tenant, _ access.Fixtures) error {
	return nil
}

// debateIsolation are the isolation rows of the debate routes.
func (c *Capability) debateIsolation() []kernel.IsolationRow { return nil }
