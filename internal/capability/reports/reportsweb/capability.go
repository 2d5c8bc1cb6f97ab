package reportsweb

import (
	"context"
	"time"

	"guichet/internal/capability/reports"
	"guichet/internal/capability/reports/open311"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/backup"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/web"
)

// Bucket is the files bucket that keeps the photos.
const Bucket = "signalements"

// purgeStagedEvery empties the photos sent with a form never submitted
// (reports.StagedFor) more often than the daily retention job would.
const purgeStagedEvery = time.Hour

// Capability is the problem reports, installed into the kernel.
type Capability struct {
	k *kernel.Kernel
	// Store, Module and Open311 are set by Install.
	Store   *reports.Store
	Module  *Module
	Open311 *open311.Handler
}

// NewCapability returns the problem reports, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns the problem reports as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "reports" }

// Migrations implements kernel.Capability.
func (c *Capability) Migrations() db.Migrations { return reports.Migrations }

// Install builds the store on the kernel's files bucket and outbox, and
// registers the mails, the register's lines, retention rules, export
// and erasure, the hourly purge of abandoned photos, the back-office
// section, the practical link and the Open311 endpoint.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	storage, err := k.Files(Bucket)
	if err != nil {
		return nil, err
	}
	s := reports.NewStore(k.DB, storage)
	s.Now, s.CheckStorage, s.Mail, s.Links = k.Now, k.CheckStorage, k.Mail, k.Links
	k.AddFileOwner(backup.FileOwner{Bucket: Bucket, Keys: s.FileKeys})
	k.AddStorageUse(s.StorageUsed)
	if err := k.AddMails("reports", reports.MailFiles()); err != nil {
		return nil, err
	}
	if err := k.AddPrivacy(s.Processing(), s.RetentionRules()); err != nil {
		return nil, err
	}
	k.Accounts.RegisterExporter("reports", s.Export)
	k.Accounts.RegisterEraser(account.Eraser{Name: "reports", Effect: "reports.privacy.erase", Erase: s.Erase})
	if err := k.Jobs.Periodic("reports-staged-photos", purgeStagedEvery, func(ctx context.Context) error {
		_, err := s.PurgeStaged(ctx)
		return err
	}); err != nil {
		return nil, err
	}
	k.Backoffice.AddSection(staffweb.Section{Key: "reports.section", DescKey: "reports.section_desc", Path: QueuePath,
		Roles: []account.Role{account.RoleAgent}, Services: []string{Service}, Order: 105})
	k.Home.AddPracticalLink(web.NavItem{Key: "reports.practical", Path: NewPath})
	c.Open311 = NewOpen311(s, func(ctx context.Context) string { return siteOf(ctx, k.Links) }, open311.Config{Log: k.Log})
	c.Store, c.Module = s, New(s, c.Open311)
	c.Module.Staff, c.Module.Territory = k.Staff, k
	return c.Module, nil
}
