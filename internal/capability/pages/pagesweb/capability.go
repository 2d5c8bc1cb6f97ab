package pagesweb

import (
	"guichet/internal/capability/pages"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/web"
)

// Capability is the practical pages ("vie pratique"), installed into the
// kernel.
type Capability struct {
	k *kernel.Kernel
	// Store and Module are set by Install.
	Store  *pages.Store
	Module *Module
}

// NewCapability returns the practical pages, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns the practical pages as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "pages" }

// Migrations implements kernel.Capability: publishing's shared set.
func (c *Capability) Migrations() db.Migrations { return pages.Migrations }

// Install builds the store and registers the back-office section. Editors
// write and publish; pages keep no personal data.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	s := pages.NewStore(k.DB)
	s.Join(k.Changes)
	s.Now = k.Now
	k.Backoffice.AddSection(staffweb.Section{Key: "pages.section", DescKey: "pages.section_desc", Path: "/gestion/pages",
		Roles: []account.Role{account.RoleEditor}, Order: 120})
	c.Store, c.Module = s, New(s)
	k.Home.AddPracticalLink(web.NavItem{Key: "pages.title", Path: "/vie-pratique"})
	return c.Module, nil
}
