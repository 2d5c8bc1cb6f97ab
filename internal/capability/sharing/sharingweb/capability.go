package sharingweb

import (
	"context"

	"guichet/internal/capability/sharing"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/web"
)

// Capability carries the collectivité's publications to its accounts on
// other networks, installed into the kernel.
type Capability struct {
	k *kernel.Kernel
	// Store and Module are set by Install.
	Store  *sharing.Store
	Module *Module
}

// NewCapability returns the sharing capability, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns the sharing capability as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "sharing" }

// Migrations implements kernel.Capability.
func (c *Capability) Migrations() db.Migrations { return sharing.Migrations }

// Install builds the store (secrets sealed with a key derived from the
// server's), registers the delivery worker and the periodic run that
// queues new publications, the register line and retention rule, and the
// administrators' section.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	s := sharing.NewStore(k.DB, k.SecretKey)
	s.Now = k.Now
	if err := s.UseQueue(k.Jobs); err != nil {
		return nil, err
	}
	if err := k.Jobs.Periodic("sharing-collect", sharing.Every, c.Collect); err != nil {
		return nil, err
	}
	if err := k.AddPrivacy(s.Processing(), s.RetentionRules()); err != nil {
		return nil, err
	}
	k.Backoffice.AddSection(staffweb.Section{Key: "sharing.section", DescKey: "sharing.section_desc", Path: QueuePath,
		Roles: []account.Role{account.RoleAdmin}, Order: 195})
	c.Store, c.Module = s, New(s)
	return c.Module, nil
}

// Collect is the periodic run: it queues what the installed capabilities
// published lately for every collectivité's accounts. Tests call it.
func (c *Capability) Collect(ctx context.Context) error {
	_, err := c.Store.Collect(ctx, c.k.Publications(), func(ctx context.Context, tenantID string) (string, error) {
		site, _, err := c.k.Links(ctx, tenantID)
		return site, err
	})
	return err
}
