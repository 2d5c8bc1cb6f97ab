package a11yweb

import (
	"guichet/internal/capability/a11y"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/web"
)

// Capability is the accessibility statement (RGAA 4.1 audits, the
// conformity level in every page's footer), installed into the kernel.
type Capability struct {
	k *kernel.Kernel
	// Store is set by Install.
	Store *a11y.Store
}

// NewCapability returns the accessibility statement, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns the accessibility statement as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "a11y" }

// Migrations implements kernel.Capability.
func (c *Capability) Migrations() db.Migrations { return a11y.Migrations }

// Install builds the store of audits.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	c.Store = a11y.NewStore(k.DB)
	c.Store.Now = k.Now
	c.Store.Join(k.Changes)
	return New(c.Store, k.Accounts), nil
}
