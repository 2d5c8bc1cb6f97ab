package alertsweb

import (
	"guichet/internal/capability/alerts"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/web"
	"guichet/internal/kernel/web/portalweb"
)

// Capability is the collectivité's alerts and their subscribers,
// installed into the kernel.
type Capability struct {
	k *kernel.Kernel
	// Store and Module are set by Install.
	Store  *alerts.Store
	Module *Module
}

// NewCapability returns the alerts, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns the alerts as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "alerts" }

// Migrations implements kernel.Capability: publishing's shared set.
func (c *Capability) Migrations() db.Migrations { return alerts.Migrations }

// Install builds the store (mailing alerts through the job queue) and
// registers its mails, export ("alert_subscriptions", as in every export
// so far), erasure, retention, register line, back-office section, the
// banner above every page and the home page's block. Editors publish.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	s := alerts.NewStore(k.DB, k.Mail)
	s.Join(k.Changes)
	s.Now = k.Now
	if err := s.UseQueue(k.Jobs); err != nil {
		return nil, err
	}
	k.Accounts.RegisterExporter("alert_subscriptions", s.ExportSubscriptions)
	k.Accounts.RegisterEraser(s.Eraser())
	if err := k.AddPrivacy(s.Processing(), s.RetentionRules()); err != nil {
		return nil, err
	}
	if err := k.AddMails("alerts", alerts.MailFiles()); err != nil {
		return nil, err
	}
	k.Backoffice.AddSection(staffweb.Section{Key: "alerts.section", DescKey: "alerts.section_desc", Path: "/gestion/alertes",
		Roles: []account.Role{account.RoleEditor}, Order: 130})
	m := New(s)
	k.Home.AddHomeBlock(m)
	k.AddPublications(publications(s))
	k.Home.AddFeed(portalweb.Feed{TitleKey: "alerts.feed.alerts", Type: "application/atom+xml", Path: "/alertes/flux.atom"})
	c.Store, c.Module = s, m
	return m, nil
}
