package alertsweb

import (
	"context"
	"time"

	"guichet/internal/capability/alerts"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

// SeedDemo implements kernel.DemoContent: the neighbourhoods of both demo
// collectivités and a water cut in one of them.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	for slug, t := range tenants {
		areas := []string{"Centre-bourg", "Les Tilleuls", "La Gare", "Hameau du Moulin"}
		if slug != demo.Town {
			areas = []string{"Bourg", "Les Granges"}
		}
		if err := c.Store.SetAreas(ctx, t.ID, areas); err != nil {
			return err
		}
		// The alert names one of the collectivité's own neighbourhoods.
		alert := &alerts.Alert{TenantID: t.ID, Title: "Coupure d'eau : " + areas[1] + ", demain de 9 h à 12 h", Severity: alerts.SeverityWarning,
			Topic: "eau", Area: areas[1], Expires: c.k.Now().Add(48 * time.Hour), Author: "Service communication",
			Body: "Intervention sur le réseau d'eau potable. Prévoyez une réserve d'eau."}
		if err := c.Store.Publish(ctx, alert, ""); err != nil {
			return err
		}
	}
	return nil
}
