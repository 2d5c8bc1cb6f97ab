package procedureweb

import (
	"context"
	"time"

	"guichet/internal/capability/procedure"
)

// Periodic jobs: their emails link to the collectivité's site.

// siteURL is the public address of a collectivité, for emails sent by jobs.
func (m *Module) siteURL(ctx context.Context, tenantID string) string {
	site, _, err := m.Links(ctx, tenantID)
	if err != nil {
		return ""
	}
	return site
}

func locationOf(ctx context.Context, m *Module, tenantID string) *time.Location {
	_, loc, err := m.Links(ctx, tenantID)
	if err != nil {
		return time.UTC
	}
	return loc
}

// RunSilence applies "silence vaut accord / rejet" and tells residents.
func (m *Module) RunSilence(ctx context.Context) error {
	decided, err := m.store.ApplySilence(ctx)
	for _, c := range decided {
		p, perr := m.store.Procedure(ctx, c.TenantID, c.ProcedureID)
		if perr != nil {
			return perr
		}
		base := m.siteURL(ctx, c.TenantID)
		if serr := m.sendCase(ctx, c, "decision", map[string]any{"Procedure": p.Title, "Reference": c.Reference,
			"State": c.State.Label(), "Reason": "Le délai d'instruction est passé sans décision explicite.",
			"Link": base + casePath(c.ID), "Decision": base + casePath(c.ID) + "/decision.pdf",
			"Deletion": procedure.FrenchDate(*c.DeleteAfter, locationOf(ctx, m, c.TenantID))}); serr != nil {
			return serr
		}
	}
	return err
}

// RunRetention warns residents before their closed cases are deleted,
// then deletes the cases past their date with their files.
func (m *Module) RunRetention(ctx context.Context) error {
	warned, err := m.store.DueForWarning(ctx)
	for _, c := range warned {
		p, perr := m.store.Procedure(ctx, c.TenantID, c.ProcedureID)
		if perr != nil {
			return perr
		}
		if serr := m.sendCase(ctx, c, "retention", map[string]any{"Procedure": p.Title, "Reference": c.Reference,
			"Deletion": procedure.FrenchDate(*c.DeleteAfter, locationOf(ctx, m, c.TenantID)),
			"Link":     m.siteURL(ctx, c.TenantID) + casePath(c.ID)}); serr != nil {
			return serr
		}
	}
	if err != nil {
		return err
	}
	_, err = m.store.Purge(ctx)
	return err
}
