package privacyweb

import (
	"context"

	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/privacy"
	"guichet/internal/kernel/web"
)

// Capability is the personal-data pages (the register of processing
// activities, and the requests people make about their data: access,
// rectification, erasure), installed into the kernel like any capability.
// Its folder is the kernel's because identity reads the register.
type Capability struct {
	k *kernel.Kernel
	// Requests is set by Install.
	Requests *privacy.Requests
}

// NewCapability returns the personal-data pages, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns the personal-data pages as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "privacy" }

// Migrations implements kernel.Capability.
func (c *Capability) Migrations() db.Migrations { return privacy.Migrations }

// Install builds the requests, adds them to every person's export (and
// keeps them at erasure: they prove the request was answered), and
// registers their emails, retention and back-office section.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	r := privacy.NewRequests(k.DB, k.Mail)
	r.Now = k.Now
	c.Requests = r
	k.Accounts.RegisterExporter("privacy_requests", func(ctx context.Context, p account.Person) (any, error) {
		return r.Of(ctx, p.TenantID, p.UserID, p.Email)
	})
	k.Accounts.RegisterEraser(account.Eraser{Name: "requests", Effect: "privacy.erase.requests", Keeps: []string{"privacy_requests"},
		Erase: func(context.Context, account.Person) error { return nil }})
	if err := k.AddPrivacy(r.Processing(), r.RetentionRules()); err != nil {
		return nil, err
	}
	m := New(k.Privacy, r, k.Accounts, k.Changes)
	if err := k.AddMails("privacy", m.Assets()); err != nil {
		return nil, err
	}
	k.Backoffice.AddSection(staffweb.Section{Key: "privacy.admin.section", DescKey: "privacy.admin.section_desc",
		Path: AdminPath, Roles: []account.Role{account.RoleAdmin}, Order: 930})
	return m, nil
}
