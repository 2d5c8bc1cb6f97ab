package app

import (
	"context"

	"guichet/internal/a11y"
	"guichet/internal/account"
	"guichet/internal/db"
	"guichet/internal/mail"
	"guichet/internal/oidc"
	"guichet/internal/tenant"
	"guichet/internal/web/a11yweb"
	"guichet/internal/web/mailbox"
	"guichet/internal/web/oidcweb"
	"guichet/internal/web/platform"
	"guichet/internal/web/portal"
)

// Migrations lists every domain's migrations, in dependency order. A new
// domain appends its set here.
func Migrations() []db.Migrations {
	return []db.Migrations{
		tenant.Migrations,
		mail.Migrations,
		account.Migrations,
		a11y.Migrations,
		oidc.Migrations,
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
	a.Accounts = account.NewStore(a.DB)
	if err := a.schedulePurge(); err != nil {
		return err
	}
	a.Sessions = account.NewSessions(a.Accounts, a.Config.Secure)
	a.Web.Use(a.Sessions.Middleware)
	oidcWeb := oidcweb.New(oidc.NewService(oidc.NewStore(a.DB, a.Config.SecretKey), a.Accounts, nil), a.Sessions)
	a.Accounts.RegisterExporter("oidc", oidcWeb.Store().Export)
	return a.Web.Install(
		portal.New(),
		platform.New(a.Tenants),
		mailbox.New(a.Mail),
		a11yweb.New(a11y.NewStore(a.DB), a.Accounts),
		oidcWeb,
	)
}
