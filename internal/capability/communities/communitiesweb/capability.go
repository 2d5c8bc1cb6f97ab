package communitiesweb

import (
	"context"

	"guichet/internal/capability/communities"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tokens"
	"guichet/internal/kernel/web"
)

// Capability is the collectivité's communities, installed into the
// kernel.
type Capability struct {
	k *kernel.Kernel
	// Store and Module are set by Install.
	Store  *communities.Store
	Module *Module
}

// NewCapability returns the communities, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns the communities as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "communities" }

// Migrations implements kernel.Capability.
func (c *Capability) Migrations() db.Migrations { return communities.Migrations }

// Install builds the store on the alerts' publications (a
// neighbourhood's feed shows its area's alerts) and the outbox, registers
// the periodic digest run, the digest's mail, the export, erasure,
// retention and register line, the back-office section and the home
// page's practical link.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	s := communities.NewStore(k.DB)
	s.Now = k.Now
	s.Mail = k.Mail
	key := tokens.Key("communities-digest", k.SecretKey)
	s.TokenKey = key[:]
	if src, ok := k.PublicationsOf("alert"); ok {
		s.Alerts = &src
	}
	if err := k.Jobs.Periodic("communities-digest", communities.Every, c.SendDigests); err != nil {
		return nil, err
	}
	if err := k.AddMails("communities", communities.MailFiles()); err != nil {
		return nil, err
	}
	k.Accounts.RegisterExporter("communities", s.Export)
	k.Accounts.RegisterEraser(s.Eraser())
	if err := k.AddPrivacy(s.Processing(), s.RetentionRules()); err != nil {
		return nil, err
	}
	k.Backoffice.AddSection(staffweb.Section{Key: "communities.section", DescKey: "communities.section_desc", Path: AdminPath,
		Roles: []account.Role{account.RoleEditor, account.RoleAgent}, Services: []string{"vie-locale"}, Order: 150})
	k.Home.AddPracticalLink(web.NavItem{Key: "communities.practical", Path: ListPath})
	c.Store, c.Module = s, &Module{k: k, store: s}
	return c.Module, nil
}

// SendDigests is the periodic run: every resident whose digest is due
// gets one email of their communities' new items. Tests call it.
func (c *Capability) SendDigests(ctx context.Context) error {
	_, err := c.Store.SendDigests(ctx, c.k.Links)
	return err
}
