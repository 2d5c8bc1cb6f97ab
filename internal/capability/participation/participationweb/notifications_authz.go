package participationweb

import (
	"context"

	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// notificationRows are the access rows of the notification routes.
func (c *Capability) notificationRows() []access.Row { return nil }

// notificationFixtures names the records the notification rows read.
func (c *Capability) notificationFixtures(_ context.Context, _ *tenant.Tenant, _ access.Fixtures) error {
	return nil
}

// notificationIsolation are the isolation rows of the notification routes.
func (c *Capability) notificationIsolation() []kernel.IsolationRow { return nil }
