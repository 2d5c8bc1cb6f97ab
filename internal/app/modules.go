package app

import (
	"context"
	"guichet/internal/kernel/backup"
	"guichet/internal/kernel/files"
	"path/filepath"

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
	"guichet/internal/kernel/web"
	"guichet/internal/kernel/web/portalweb"
	"guichet/internal/publishing/publishingweb"
	"guichet/internal/publishing/search"
)

// kernelMigrations are the kernel's and identity's tables, in dependency
// order; each capability's follow (see migrations).
var kernelMigrations = []db.Migrations{
	tenant.Migrations,
	files.Migrations,
	abuse.Migrations,
	mail.Migrations,
	account.Migrations,
	staff.Migrations,
	oidc.Migrations,
	search.Migrations,
}

// migrations lists the kernel's migrations, then each capability's.
func (a *App) migrations() []db.Migrations {
	all := append([]db.Migrations(nil), kernelMigrations...)
	for _, c := range a.capabilities {
		all = append(all, c.Migrations())
	}
	return all
}

// build creates the kernel's stores (jobs, mail, identity, the privacy
// register), installs every capability on it, then installs the web
// modules of the kernel, identity and capabilities.
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
	a.Privacy = privacy.NewRegister()
	identity, err := a.buildIdentity()
	if err != nil {
		return err
	}
	a.Home = portalweb.New(a.Changes)
	// Before Install: what an installed capability holds is released
	// (before the database) even when a later one fails to install.
	a.closers = append(a.closers, a.Kernel.Close)
	capabilities, err := a.Install(a.capabilities...)
	if err != nil {
		return err
	}
	if err := a.addOutbox(); err != nil {
		return err
	}
	if err := a.Jobs.Periodic("privacy-retention", retentionEvery, a.applyRetention); err != nil {
		return err
	}
	logos, err := a.Files("logos")
	if err != nil {
		return err
	}
	a.logos = tenant.NewLogos(logos)
	a.AddFileOwner(backup.FileOwner{Bucket: "logos", Keys: func(_ context.Context, _ db.Querier, tenantID string) ([]string, error) {
		if !files.ValidKey(tenantID) { // the platform's identifier names no logo
			return nil, nil
		}
		return []string{tenantID}, nil // absent when it has none: the backup skips it
	}})
	// Earlier versions kept logos as plain files in the data folder.
	if n, err := a.logos.MoveLegacy(ctx, filepath.Join(a.Config.DataDir, "logos")); err != nil {
		return err
	} else if n > 0 {
		a.Log.Info("moved the logos of an earlier version into the file store", "logos", n)
	}
	tenants := tenantweb.New(a.Tenants, a.logos)
	tenants.Usage = func(ctx context.Context, t *tenant.Tenant) (int64, int, error) {
		storage, err := a.StorageUsed(ctx, t.ID)
		if err != nil {
			return 0, 0, err
		}
		mail, err := a.Mail.SentToday(ctx, t.ID, t.Location())
		return storage, mail, err
	}
	mods := []web.Module{
		a.Home,
		tenants,
		mailweb.New(a.Mail, a.Config.Demo),
		abuseweb.New(a.Refusals),
		publishingweb.New(a.searchIndex(), a.searchKinds(), a.Changes),
	}
	mods = append(mods, identity...)
	return a.Web.Install(append(mods, capabilities...)...)
}

// buildIdentity creates accounts, sessions, staff and sign-in through
// FranceConnect or an OpenID provider, and returns their web modules.
func (a *App) buildIdentity() ([]web.Module, error) {
	a.Accounts = account.NewStore(a.DB)
	a.Accounts.Now = a.Now
	a.Accounts.Join(a.Changes)
	if err := a.schedulePurge(); err != nil {
		return nil, err
	}
	a.Accounts.Mail, a.Accounts.Sites, a.Accounts.SiteWords = a.Mail, a.siteOf, a.siteWords
	if err := a.AddPrivacy(a.Accounts.Processing(), a.Accounts.RetentionRules()); err != nil {
		return nil, err
	}
	a.Sessions = account.NewSessions(a.Accounts, a.Config.Secure)
	a.Sessions.Now = a.Now
	a.Web.Use(a.Sessions.Middleware)
	a.Staff = staff.NewStore(a.DB, a.Config.SecretKey)
	a.Staff.Now = a.Now
	a.Web.SetAudit(a.Staff)
	if err := a.scheduleAudit(); err != nil {
		return nil, err
	}
	if err := a.AddPrivacy(a.Staff.Processing(), a.Staff.RetentionRules()); err != nil {
		return nil, err
	}
	a.Sessions.SetStaffSource(a.Staff)
	a.Backoffice = staffweb.New(a.Staff, a.Sessions, a.Mail)
	a.Backoffice.Now = a.Now
	if err := a.AddMails("backoffice", staff.MailFiles()); err != nil {
		return nil, err
	}
	a.OIDC = oidc.NewStore(a.DB, a.Config.SecretKey)
	a.OIDC.Now = a.Now
	a.OIDC.Join(a.Changes)
	oidcWeb := oidcweb.New(oidc.NewService(a.OIDC, a.Accounts, nil), a.Sessions)
	accountsWeb := accountweb.New(a.Sessions, a.Mail)
	accountsWeb.Logout = oidcWeb
	if err := a.AddMails("accounts", account.MailFiles()); err != nil {
		return nil, err
	}
	a.Accounts.RegisterExporter("oidc", a.OIDC.Export)
	if err := a.AddPrivacy(a.OIDC.Processing(), nil); err != nil {
		return nil, err
	}
	a.Backoffice.AddSection(staffweb.Section{Key: "oidc.section.title", DescKey: "oidc.section.desc",
		Path: oidcweb.AdminPath, Roles: []account.Role{account.RoleAdmin}, Order: 920})
	if err := a.Jobs.Periodic("oidc-purge-flows", oidc.PurgeEvery, a.OIDC.PurgeFlows); err != nil {
		return nil, err
	}
	return []web.Module{a.Backoffice, oidcWeb, accountsWeb}, nil
}

// searchKinds are the kinds of documents the installed capabilities
// publish for the site search.
func (a *App) searchKinds() []search.Kind {
	var out []search.Kind
	for _, c := range a.Installed() {
		if s, ok := c.(search.Searchable); ok {
			out = append(out, s.SearchKinds()...)
		}
	}
	return out
}

// searchIndex is the site search on the application's clock: documents
// dated later are not found yet.
func (a *App) searchIndex() *search.Index {
	ix := search.New(a.DB)
	ix.Now = a.Now
	return ix
}
