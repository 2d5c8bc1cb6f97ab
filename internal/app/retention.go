package app

import (
	"context"
	"net"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/privacy"
)

// retentionEvery is how often the retention rules run.
const retentionEvery = 6 * time.Hour

// addOutbox lists the outbox in the register, with its retention rule,
// and erases what was mailed to a person who asks; it comes after every
// capability's eraser, so that it also removes what they mailed.
func (a *App) addOutbox() error {
	a.Accounts.RegisterEraser(account.Eraser{Name: "mail", Effect: "privacy.erase.mail",
		Erase: func(ctx context.Context, p account.Person) error {
			return a.Mail.EraseRecipient(ctx, p.TenantID, p.Email)
		}})
	return a.AddPrivacy(outboxProcessing(), []privacy.Rule{{Key: "mail.outbox", Apply: a.Mail.PurgeOld}})
}

// applyRetention runs every retention rule and logs what changed.
func (a *App) applyRetention(ctx context.Context) error {
	counts, err := a.Privacy.ApplyRetention(ctx)
	for key, n := range counts {
		if n > 0 {
			a.Log.Info("retention applied", "rule", key, "records", n)
		}
	}
	return err
}

// siteOf returns a collectivité's address and time zone, for the emails
// sent by periodic work (no request to take them from).
func (a *App) siteOf(ctx context.Context, tenantID string) (string, *time.Location, error) {
	t, err := a.Tenants.Get(ctx, tenantID)
	if err != nil {
		return "", nil, err
	}
	port := ""
	if _, p, err := net.SplitHostPort(a.Config.Addr); err == nil {
		port = p
	}
	return a.Resolver.URL(t, a.Web.Scheme(), port), t.Location(), nil
}

// outboxProcessing is the outbox's line of the register.
func outboxProcessing() []privacy.Activity {
	return []privacy.Activity{{
		Key: "mail.outbox", Order: 950, Platform: true,
		Name: privacy.T("privacy.outbox.name"), Purpose: privacy.T("privacy.outbox.purpose"),
		Bases:  []privacy.Basis{privacy.PublicTask},
		People: privacy.T("privacy.outbox.people"), Data: privacy.T("privacy.outbox.data"),
		Retention: privacy.T("privacy.outbox.retention", mail.RetentionDays), Recipients: privacy.T("privacy.outbox.recipients"),
	}}
}
