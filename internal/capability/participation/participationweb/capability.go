package participationweb

import (
	"guichet/internal/capability/participation"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/web"
)

// Capability is the participation, installed into the kernel.
type Capability struct {
	k *kernel.Kernel
	// Store and Module are set by Install.
	Store  *participation.Store
	Module *Module
}

// NewCapability returns the participation, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns the participation as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "participation" }

// Migrations implements kernel.Capability.
func (c *Capability) Migrations() db.Migrations { return participation.Migrations }

// Install builds the store on the outbox and registers the mails, the
// register's lines, retention rules, export and erasure, the
// moderators' back-office section and the home page's practical link.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	s := participation.NewStore(k.DB)
	s.Now, s.Mail, s.Links = k.Now, k.Mail, k.Links
	if err := k.AddMails("participation", participation.MailFiles()); err != nil {
		return nil, err
	}
	if err := c.installPrivacy(k, s); err != nil {
		return nil, err
	}
	if err := c.installNotifications(k, s); err != nil {
		return nil, err
	}
	k.Backoffice.AddSection(staffweb.Section{Key: "participation.section", DescKey: "participation.section_desc",
		Path: QueuePath, Roles: []account.Role{account.RoleModerator}, Order: 155})
	k.Home.AddPracticalLink(web.NavItem{Key: "participation.practical", Path: HomePath})
	c.Store, c.Module = s, &Module{k: k, store: s}
	return c.Module, nil
}
