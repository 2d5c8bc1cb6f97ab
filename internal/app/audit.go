package app

import (
	"context"
	"errors"
	"fmt"

	"guichet/internal/identity/staff"
)

// scheduleAudit runs AuditNightly once a day.
func (a *App) scheduleAudit() error {
	return a.Jobs.Periodic("audit-retention-and-check", staff.AuditPruneEvery, a.AuditNightly)
}

// AuditNightly is the audit log's nightly work: entries older than a year
// are removed from every chain whose old part still verifies, then every
// chain is verified whole and the outcome kept for the journal's page. A
// broken chain is kept whole and logged as an error.
func (a *App) AuditNightly(ctx context.Context) error {
	n, pruneErr := a.Staff.PruneAudit(ctx)
	if n > 0 {
		a.Log.Info("pruned audit entries older than a year", "rows", n)
	}
	broken, err := a.Staff.CheckAll(ctx)
	for _, st := range broken {
		a.Log.Error("audit chain broken", "tenant", st.TenantID, "entry", st.Break.Seq, "reason", st.Break.Reason)
	}
	if len(broken) > 0 {
		err = errors.Join(err, fmt.Errorf("%d audit chains broken", len(broken)))
	}
	if err = errors.Join(pruneErr, err); err != nil {
		a.Log.Error("audit log", "err", err)
	}
	return err
}
