package directoryweb

import (
	"context"

	"guichet/internal/capability/directory"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/search"
)

// Capability is the directory of the territory's institutions and
// places, installed into the kernel.
type Capability struct {
	k *kernel.Kernel
	// Store and Module are set by Install.
	Store  *directory.Store
	Module *Module
}

// NewCapability returns the directory, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns the directory as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "directory" }

// Migrations implements kernel.Capability.
func (c *Capability) Migrations() db.Migrations { return directory.Migrations }

// Install builds the store (listed in the site search, mailing through
// the outbox), answers the kernel's directory seam, and registers the
// moderation's emails, the register line, retention rule, export and
// erasure of the managers' records, the back-office section, the
// practical link and the managers' own page.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	s := directory.NewStore(k.DB)
	s.Join(k.Changes)
	s.Now = k.Now
	s.Search = search.New(k.DB)
	s.Search.Now = k.Now
	s.Mail = k.Mail
	if err := k.AddMails("directory", directory.MailFiles()); err != nil {
		return nil, err
	}
	if err := k.AddPrivacy(s.Processing(), s.RetentionRules()); err != nil {
		return nil, err
	}
	k.Accounts.RegisterExporter("directory", s.Export)
	k.Accounts.RegisterEraser(s.Eraser())
	k.SetDirectory(s.Seam())
	k.Backoffice.AddSection(staffweb.Section{Key: "directory.section", DescKey: "directory.section_desc", Path: AdminPath,
		Roles: []account.Role{account.RoleAgent}, Services: []string{"vie-locale"}, Order: 150})
	k.Home.AddPracticalLink(web.NavItem{Key: "directory.practical", Path: ListPath})
	c.Store, c.Module = s, New(s, c.person)
	c.Module.Accounts = k.Accounts
	return c.Module, nil
}

// person finds an account's address, name and language for the emails.
func (c *Capability) person(ctx context.Context, tenantID, accountID string) (directory.Person, error) {
	u, err := c.k.Accounts.Get(ctx, tenantID, accountID)
	if err != nil {
		return directory.Person{}, err
	}
	return directory.Person{Email: u.Email, Name: u.Name, Lang: u.Lang}, nil
}

// SearchKinds implements search.Searchable: the published entries, a
// small catalogue indexed whole after every change.
func (c *Capability) SearchKinds() []search.Kind { return []search.Kind{c.Store.SearchKind()} }
