package app

import (
	"context"

	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/db"
)

// buildLimits gives the web server abuse limits that record their
// refusals for the operator console, and purges the old ones; the key of
// the cookie that tells the sign-in limits an account's own browsers.
func (a *App) buildLimits() error {
	a.Refusals = abuse.NewLog(a.DB)
	a.Web.Limits = abuse.New(a.Refusals, a.Log)
	a.Web.Limits.Now = a.Now
	if a.DB.Dialect() == db.Postgres { // other nodes may count too
		a.Web.Limits.Share(a.DB)
	}
	a.Web.TrustClientKeyHeader(a.Config.ClientKeyHeader)
	a.Web.SetDeviceKey(a.Config.SecretKey)
	return a.Jobs.Periodic("abuse-purge", abuse.PurgeEvery, func(ctx context.Context) error {
		n, err := a.Refusals.Purge(ctx, a.Now())
		if n > 0 {
			a.Log.Info("purged old refusals of the abuse limits", "rows", n)
		}
		if err != nil {
			return err
		}
		_, err = abuse.PurgeCounts(ctx, a.DB, a.Now())
		return err
	})
}
