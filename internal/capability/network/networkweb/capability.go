package networkweb

import (
	"context"

	"guichet/internal/capability/network"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/web"
)

// Capability is the network of the collectivité's organisations,
// installed into the kernel.
type Capability struct {
	k *kernel.Kernel
	// Store and Module are set by Install.
	Store  *network.Store
	Module *Module
}

// NewCapability returns the network, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns the network as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "network" }

// Migrations implements kernel.Capability.
func (c *Capability) Migrations() db.Migrations { return network.Migrations }

// Install builds the store (reading the organisations through the
// kernel's directory seam, its measures on the caches' seam, its
// campaigns queued in the outbox) and registers the campaigns' email,
// the register lines, retention rules, export and erasure, and the
// back-office section.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	s := network.NewStore(k.DB, c.organisations, k.Changes)
	s.Now, s.Mail = k.Now, k.Mail
	if err := k.AddMails("network", network.MailFiles()); err != nil {
		return nil, err
	}
	if err := k.AddPrivacy(s.Processing(), s.RetentionRules()); err != nil {
		return nil, err
	}
	k.Accounts.RegisterExporter("network", s.Export)
	k.Accounts.RegisterEraser(s.Eraser())
	k.Backoffice.AddSection(staffweb.Section{Key: "network.section", DescKey: "network.section_desc", Path: AdminPath,
		Roles: []account.Role{account.RoleAgent}, Services: []string{"vie-locale"}, Order: 155})
	c.Store, c.Module = s, New(k, s)
	return c.Module, nil
}

// organisations reads the collectivité's published organisations through
// the kernel's seam.
func (c *Capability) organisations(ctx context.Context, tenantID string) ([]network.DirectoryEntry, error) {
	return c.k.DirectoryEntries(ctx, tenantID, kernel.DirectoryQuery{Organisations: true})
}
