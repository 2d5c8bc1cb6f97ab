package councilweb

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/riverqueue/river"

	"guichet"
	"guichet/internal/capability/council"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/backup"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/jobs"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/kernel/web/portalweb"
	"guichet/internal/publishing/search"
)

// Capability is the council and its legal acts, installed into the
// kernel.
type Capability struct {
	k *kernel.Kernel
	// Store, Module and Reminders are set by Install.
	Store     *council.Store
	Module    *Module
	Reminders *council.Reminders
	count     int // deliberations "guichet seed council" writes
	iso       isolationState
}

// NewCapability returns the council, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns the council as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "council" }

// Migrations implements kernel.Capability.
func (c *Capability) Migrations() db.Migrations { return council.Migrations }

// remindEvery is how often the deadlines are looked at.
const remindEvery = time.Hour

// Install builds the store (files in the "actes" bucket, followers'
// mail through the job queue), the hourly reminders of the deadlines,
// and registers the followers' export, erasure, retention and register
// line, the secretary's back-office sections and the feed.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	storage, err := k.Files("actes")
	if err != nil {
		return nil, err
	}
	s := council.NewStore(k.DB, storage, k.Mail)
	s.Join(k.Changes)
	s.Now = k.Now
	s.Search.Now = k.Now
	s.Jobs, s.CheckStorage = k.Jobs, k.CheckStorage
	k.AddFileOwner(backup.FileOwner{Bucket: "actes", Keys: s.FileKeys})
	k.AddStorageUse(s.StorageUsed)
	if err := jobs.AddFunc(k.Jobs, func(ctx context.Context, job *river.Job[council.PublishArgs]) error {
		return s.MailFollowers(ctx, job.Args)
	}); err != nil {
		return nil, err
	}
	c.Reminders = &council.Reminders{Store: s,
		Place: func(ctx context.Context, tenantID string) (string, *time.Location, bool, error) {
			t, err := k.Tenants.Get(ctx, tenantID)
			if err != nil {
				return "", nil, false, err
			}
			u, loc, err := k.Links(ctx, tenantID)
			return u, loc, guichet.AlsaceMoselle(t.INSEE), err
		},
		Secretaries: func(ctx context.Context, tenantID string) ([]council.Recipient, error) {
			members, err := k.Staff.List(ctx, tenantID)
			if err != nil {
				return nil, err
			}
			var out []council.Recipient
			for _, m := range members {
				if slices.Contains(m.Roles, account.RoleSecretary) {
					out = append(out, council.Recipient{Email: m.Email, Lang: "fr"})
				}
			}
			return out, nil
		}}
	if err := k.Jobs.Periodic("council-deadlines", remindEvery, func(ctx context.Context) error {
		_, err := c.Reminders.Run(ctx)
		return err
	}); err != nil {
		return nil, err
	}
	k.Accounts.RegisterExporter("council_followers", s.Export)
	k.Accounts.RegisterEraser(s.Eraser())
	if err := k.AddPrivacy(s.Processing(), s.RetentionRules()); err != nil {
		return nil, err
	}
	if err := k.AddMails("council", council.MailFiles()); err != nil {
		return nil, err
	}
	k.Backoffice.AddSection(
		staffweb.Section{Key: "council.section.council", DescKey: "council.section.council_desc", Path: AdminPath,
			Roles: []account.Role{account.RoleSecretary}, Order: 118},
		staffweb.Section{Key: "council.section.acts", DescKey: "council.section.acts_desc", Path: AdminActs,
			Roles: []account.Role{account.RoleSecretary}, Order: 119})
	k.Home.AddFeed(portalweb.Feed{TitleKey: "council.feed", Type: "application/atom+xml", Path: ActsPath + "/flux.atom"})
	k.Home.AddPracticalLink(web.NavItem{Key: "council.practical", Path: ActsPath})
	m := New(s)
	c.Store, c.Module = s, m
	return m, nil
}

// SearchKinds implements search.Searchable: acts are indexed one by one
// as they are published.
func (c *Capability) SearchKinds() []search.Kind {
	return []search.Kind{{Name: council.Kind, Label: "council.search.kind"}}
}

// Generator implements kernel.Generator: "guichet seed council" writes
// published deliberations for scale tests, e.g. --count 5000.
func (c *Capability) Generator() kernel.Generate {
	return kernel.Generate{Name: "council",
		Flags: func(fs *flag.FlagSet) { fs.IntVar(&c.count, "count", 1000, "deliberations to write") },
		Run: func(ctx context.Context, t *tenant.Tenant, p kernel.Progress, out io.Writer) error {
			if c.count < 0 {
				return fmt.Errorf("seed council needs a non-negative count")
			}
			p.Total(c.count)
			done := 0
			if err := c.Store.Generate(ctx, t.ID, c.count, func() { done++; p.Done(done) }); err != nil {
				return err
			}
			fmt.Fprintf(out, "%d deliberations written to %s\n", c.count, t.Slug)
			return nil
		}}
}
