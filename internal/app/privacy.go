package app

import (
	"context"
	"net"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/privacy"
	"guichet/internal/kernel/privacy/privacyweb"
)

// retentionEvery is how often the retention rules run.
const retentionEvery = 6 * time.Hour

// addPrivacy lists a domain's processing activities in the register and
// its retention rules in the periodic job.
func (a *App) addPrivacy(acts []privacy.Activity, rules []privacy.Rule) error {
	if err := a.Privacy.Add(acts...); err != nil {
		return err
	}
	return a.Privacy.AddRules(rules...)
}

// buildPrivacy wires what is left once every domain is built: the
// requests about personal data, the outbox's place in the register, its
// eraser (last, so that it also removes what the other erasers mailed the
// person), the periodic retention job and the personal-data pages.
func (a *App) buildPrivacy() (*privacyweb.Module, error) {
	a.Requests = privacy.NewRequests(a.DB, a.Mail)
	a.Requests.Now = a.Now
	a.Accounts.RegisterExporter("privacy_requests", a.exportRequests)
	// Requests are the proof that they were answered: erasure keeps them.
	a.Accounts.RegisterEraser(account.Eraser{Name: "requests", Effect: "privacy.erase.requests", Keeps: []string{"privacy_requests"},
		Erase: func(context.Context, account.Person) error { return nil }})
	a.Accounts.RegisterEraser(account.Eraser{Name: "mail", Effect: "privacy.erase.mail",
		Erase: func(ctx context.Context, p account.Person) error {
			return a.Mail.EraseRecipient(ctx, p.TenantID, p.Email)
		}})
	if err := a.addPrivacy(outboxProcessing(), []privacy.Rule{{Key: "mail.outbox", Apply: a.Mail.PurgeOld}}); err != nil {
		return nil, err
	}
	if err := a.addPrivacy(a.Requests.Processing(), a.Requests.RetentionRules()); err != nil {
		return nil, err
	}
	if err := a.Jobs.Periodic("privacy-retention", retentionEvery, a.applyRetention); err != nil {
		return nil, err
	}
	m := privacyweb.New(a.Privacy, a.Requests, a.Accounts)
	if err := a.Mail.Templates().Add("privacy", m.Assets()); err != nil {
		return nil, err
	}
	a.Backoffice.AddSection(staffweb.Section{Key: "privacy.admin.section", DescKey: "privacy.admin.section_desc",
		Path: privacyweb.AdminPath, Roles: []account.Role{account.RoleAdmin}, Order: 930})
	return m, nil
}

// exportRequests adds the person's requests about their data to their export.
func (a *App) exportRequests(ctx context.Context, p account.Person) (any, error) {
	return a.Requests.Of(ctx, p.TenantID, p.UserID, p.Email)
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
