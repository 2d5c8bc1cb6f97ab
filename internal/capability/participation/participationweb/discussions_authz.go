package participationweb

import (
	"context"
	"net/http"

	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// discussionRows are the access rows of the discussion routes.
func (c *Capability) discussionRows() []access.Row { return nil }

// discussionFixtures names the records the discussion rows read.
func (c *Capability) discussionFixtures(_ context.Context, _ *tenant.Tenant, _ access.Fixtures) error {
	return nil
}

// discussionIsolation are the isolation rows of the discussion routes.
func (c *Capability) discussionIsolation() []kernel.IsolationRow {
	return []kernel.IsolationRow{{Name: "the village's participation home lists none of the town's spaces", As: kernel.AsAnonymous,
		Method: "GET", Target: kernel.Path(HomePath, "Quartier des Tilleuls", "Se déplacer à Montclair"), Want: http.StatusOK}}
}
