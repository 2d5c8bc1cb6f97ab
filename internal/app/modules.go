package app

import (
	"context"

	"guichet/internal/capability/a11y"
	"guichet/internal/capability/a11y/a11yweb"
	"guichet/internal/capability/appointment"
	"guichet/internal/capability/content"
	"guichet/internal/capability/procedure"
	"guichet/internal/identity/account"
	"guichet/internal/identity/account/accountweb"
	"guichet/internal/identity/oidc"
	"guichet/internal/identity/oidc/oidcweb"
	"guichet/internal/identity/staff"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/abuse/abuseweb"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/mail/mailweb"
	"guichet/internal/kernel/privacy"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/tenant/tenantweb"
	"guichet/internal/kernel/web/portalweb"
	"guichet/internal/publishing/search"
)

// Migrations lists every domain's migrations, in dependency order. A new
// domain appends its set here.
func Migrations() []db.Migrations {
	return []db.Migrations{
		tenant.Migrations,
		abuse.Migrations,
		mail.Migrations,
		account.Migrations,
		staff.Migrations,
		a11y.Migrations,
		oidc.Migrations,
		search.Migrations,
		content.Migrations,
		appointment.Migrations,
		procedure.Migrations,
		privacy.Migrations,
	}
}

// build creates each domain's stores and web module. A new domain adds its
// module to the list below.
func (a *App) build(ctx context.Context) error {
	a.Web.Ops("GET /healthz", healthz())
	a.Web.Ops("GET /readyz", a.readyz())
	a.Web.Ops("GET /metrics", a.metrics())
	if err := a.buildQueue(ctx); err != nil {
		return err
	}
	if err := a.buildLimits(); err != nil {
		return err
	}
	a.Accounts = account.NewStore(a.DB)
	a.Accounts.Now = a.Now
	a.Accounts.Join(a.Changes)
	if err := a.schedulePurge(); err != nil {
		return err
	}
	a.Accounts.Mail, a.Accounts.Sites, a.Accounts.SiteWords = a.Mail, a.siteOf, a.siteWords
	a.Privacy = privacy.NewRegister()
	if err := a.addPrivacy(a.Accounts.Processing(), a.Accounts.RetentionRules()); err != nil {
		return err
	}
	a.Sessions = account.NewSessions(a.Accounts, a.Config.Secure)
	a.Sessions.Now = a.Now
	a.Web.Use(a.Sessions.Middleware)
	a.Staff = staff.NewStore(a.DB, a.Config.SecretKey)
	a.Staff.Now = a.Now
	a.Web.SetAudit(a.Staff)
	if err := a.scheduleAudit(); err != nil {
		return err
	}
	if err := a.addPrivacy(a.Staff.Processing(), a.Staff.RetentionRules()); err != nil {
		return err
	}
	a.A11y = a11y.NewStore(a.DB)
	a.A11y.Now = a.Now
	a.A11y.Join(a.Changes)
	a.Sessions.SetStaffSource(a.Staff)
	a.Backoffice = staffweb.New(a.Staff, a.Sessions, a.Mail)
	a.Backoffice.Now = a.Now
	if err := a.Mail.Templates().Add("backoffice", a.Backoffice.Assets()); err != nil {
		return err
	}
	a.OIDC = oidc.NewStore(a.DB, a.Config.SecretKey)
	a.OIDC.Now = a.Now
	a.OIDC.Join(a.Changes)
	oidcWeb := oidcweb.New(oidc.NewService(a.OIDC, a.Accounts, nil), a.Sessions)
	accountsWeb := accountweb.New(a.Sessions, a.Mail)
	accountsWeb.Logout = oidcWeb
	if err := a.Mail.Templates().Add("accounts", accountsWeb.Assets()); err != nil {
		return err
	}
	a.Accounts.RegisterExporter("oidc", a.OIDC.Export)
	if err := a.addPrivacy(a.OIDC.Processing(), nil); err != nil {
		return err
	}
	a.Backoffice.AddSection(staffweb.Section{Key: "oidc.section.title", DescKey: "oidc.section.desc",
		Path: oidcweb.AdminPath, Roles: []account.Role{account.RoleAdmin}, Order: 920})
	if err := a.Jobs.Periodic("oidc-purge-flows", oidc.PurgeEvery, a.OIDC.PurgeFlows); err != nil {
		return err
	}
	contentWeb, err := a.buildContent()
	if err != nil {
		return err
	}
	appointmentWeb, err := a.buildAppointments()
	if err != nil {
		return err
	}
	procedureWeb, err := a.buildProcedures()
	if err != nil {
		return err
	}
	platformWeb, mailboxWeb := tenantweb.New(a.Tenants, tenant.NewLogos(a.Config.DataDir)), mailweb.New(a.Mail, a.Config.Demo)
	privacyWeb, err := a.buildPrivacy()
	if err != nil {
		return err
	}
	return a.Web.Install(
		procedureWeb,
		portalweb.New(contentWeb),
		contentWeb,
		appointmentWeb,
		platformWeb,
		mailboxWeb,
		abuseweb.New(a.Refusals),
		a.Backoffice,
		a11yweb.New(a.A11y, a.Accounts),
		oidcWeb,
		accountsWeb,
		privacyWeb,
	)
}
