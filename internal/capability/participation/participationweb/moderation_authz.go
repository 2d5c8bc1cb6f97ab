package participationweb

import (
	"context"

	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// moderationRows are the access rows of the moderation routes.
func (c *Capability) moderationRows() []access.Row { return nil }

// moderationFixtures names the records the moderation rows read.
func (c *Capability) moderationFixtures(_ context.Context, _ *tenant.Tenant, _ access.Fixtures) error {
	return nil
}

// moderationIsolation are the isolation rows of the moderation routes.
func (c *Capability) moderationIsolation() []kernel.IsolationRow { return nil }
