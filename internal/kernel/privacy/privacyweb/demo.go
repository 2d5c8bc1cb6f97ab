package privacyweb

import (
	"context"

	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/privacy"
	"guichet/internal/kernel/tenant"
)

// demoRequester is the demo resident whose requests about their data the
// town's administrators find in their list.
const demoRequester = "habitant@courriel.localhost"

// SeedDemo implements kernel.DemoContent: it files two requests about personal data in the town: one
// just received, and one received forty days ago, past its month, so
// that the administrators' list shows its warning.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	town := tenants[demo.Town]
	filings := []privacy.Filing{
		{Kind: privacy.Access, Name: "Habitant de démonstration", Email: demoRequester, Verified: true, Lang: "fr"},
		{Kind: privacy.Rectification, Name: "Habitant de démonstration", Email: demoRequester, Verified: true, Lang: "fr",
			Details: "Mon numéro de téléphone a changé : c'est désormais le 05 49 00 00 01."},
	}
	var late *privacy.Request
	for _, f := range filings {
		r, err := c.Requests.File(ctx, town.ID, f)
		if err != nil {
			return err
		}
		late = r
	}
	received := c.Requests.Now().UTC().AddDate(0, 0, -40)
	_, err := c.k.DB.Exec(ctx, `UPDATE privacy_requests SET received_at = ?, due_at = ?, created_at = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ?`, received, received.AddDate(0, 1, 0), received, received, town.ID, late.ID)
	return err
}
