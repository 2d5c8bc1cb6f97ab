package a11yweb

import (
	"context"

	"guichet/internal/capability/a11y"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

// SeedDemo implements kernel.DemoContent: it records a demo audit for the town, so that its statement and
// footer show a conformity rate; the village keeps none, as many do.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	town := tenants[demo.Town]
	audit := &a11y.Audit{TenantID: town.ID, AuditedOn: c.k.Now().AddDate(0, -2, 0),
		Auditor: "Audit de démonstration (résultats fictifs)", Results: map[string]a11y.Status{},
		NonConformities: "Certains documents PDF publiés avant 2020 ne sont pas balisés.",
		Derogations:     "Plans cadastraux numérisés avant 2010 (charge disproportionnée).",
		Pages:           "Accueil\nMentions légales\nDéclaration d'accessibilité\nPréférences d'affichage",
		Tools:           "Chromium, axe-core, Nu HTML Checker, NVDA",
		Contact:         "Écrivez à la mairie : contact@montclair.localhost",
		SchemaPlan:      "Schéma pluriannuel 2026-2028 : un audit par an, formation des agents.",
		ActionPlan:      "2026 : baliser les PDF publiés depuis 2020.", RecordedBy: "demo"}
	for i, c := range a11y.Criteria() {
		switch {
		case i%15 == 0:
			audit.Results[c.ID] = a11y.NonConforme
		case i%5 == 0:
			audit.Results[c.ID] = a11y.NonApplicable
		default:
			audit.Results[c.ID] = a11y.Conforme
		}
	}
	return c.Store.Save(ctx, audit)
}
