package queueweb

import (
	"context"

	"guichet/internal/capability/queue"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/web"
)

// Capability is the counter queue: reception sites, kiosks, display
// boards, agents' counters and remote tickets, installed into the kernel.
type Capability struct {
	k *kernel.Kernel
	// Store and Module are set by Install.
	Store  *queue.Store
	Module *Module
	iso    isolationState
}

// NewCapability returns the queue, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns the queue as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "queue" }

// Migrations implements kernel.Capability.
func (c *Capability) Migrations() db.Migrations { return queue.Migrations }

// Install builds the store, which tells every change to the live hub and
// mails remote tickets whose turn is near, and registers the export and
// erasure of those addresses, their retention, the register's line and
// the back-office sections (agents' console, administrators' sites).
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	s := queue.NewStore(k.DB, k.SecretKey)
	s.Now, s.Live, s.Mail = k.Now, k.Live, k.Mail
	s.SiteURL = func(ctx context.Context, tenantID string) (string, error) {
		u, _, err := k.Links(ctx, tenantID)
		return u, err
	}
	k.Accounts.RegisterExporter("queue_tickets", s.Export)
	k.Accounts.RegisterEraser(s.Eraser())
	if err := k.AddPrivacy(s.Processing(), s.RetentionRules()); err != nil {
		return nil, err
	}
	if err := k.AddMails("queue", queue.MailFiles()); err != nil {
		return nil, err
	}
	k.Backoffice.AddSection(
		staffweb.Section{Key: "queue.section.console", DescKey: "queue.section.console_desc", Path: ConsolePath,
			Roles: []account.Role{account.RoleAgent}, Order: 105},
		staffweb.Section{Key: "queue.section.admin", DescKey: "queue.section.admin_desc", Path: AdminPath,
			Roles: []account.Role{account.RoleAdmin}, Order: 115})
	m := New(s, k)
	c.Store, c.Module = s, m
	return m, nil
}
