package app

import (
	"context"

	"guichet/internal/staff"
)

// scheduleAuditRetention removes audit entries older than a year, daily,
// from every collectivité's chain whose old part still verifies; a broken
// chain is kept whole and logged.
func (a *App) scheduleAuditRetention() error {
	return a.Jobs.Periodic("audit-retention", staff.AuditPruneEvery, func(ctx context.Context) error {
		n, err := a.Staff.PruneAudit(ctx)
		if n > 0 {
			a.Log.Info("pruned audit entries older than a year", "rows", n)
		}
		if err != nil {
			a.Log.Error("audit log retention", "err", err)
		}
		return err
	})
}
