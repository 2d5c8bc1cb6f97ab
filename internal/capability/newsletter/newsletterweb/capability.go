package newsletterweb

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"

	"guichet/internal/capability/newsletter"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/backup"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/live"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/tokens"
	"guichet/internal/kernel/web"
)

// Capability is the collectivité's newsletter, installed into the kernel.
type Capability struct {
	k *kernel.Kernel
	// Store and Module are set by Install.
	Store  *newsletter.Store
	Module *Module

	count int // subscribers "guichet seed newsletter" writes
}

// NewCapability returns the newsletter, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns the newsletter as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "newsletter" }

// Migrations implements kernel.Capability.
func (c *Capability) Migrations() db.Migrations { return newsletter.Migrations }

// bucket keeps the campaigns' images and the imports' files while they
// are read.
const bucket = "newsletter"

// Install builds the store, registers the sending and import jobs, the
// mails, the export ("newsletter"), erasure, retention, register line and
// back-office section. Editors run the newsletter.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	s := newsletter.NewStore(k.DB, k.Mail)
	s.Join(k.Changes)
	s.Now = k.Now
	key := tokens.Key("newsletter-measure", k.SecretKey)
	s.MeasureKey = key[:]
	err := s.UseSending(newsletter.Sending{Jobs: k.Jobs, Tenants: k.Tenants.Get,
		Progress: func(ctx context.Context, camp *newsletter.Campaign) {
			_ = k.Live.Publish(ctx, live.Event{TenantID: camp.TenantID, Topic: progressTopic(camp.ID), Name: "progression"})
		},
		Links: func(ctx context.Context, tenantID string) (string, error) {
			site, _, err := k.Links(ctx, tenantID)
			return site, err
		}})
	if err != nil {
		return nil, err
	}
	files, err := k.Files(bucket)
	if err != nil {
		return nil, err
	}
	if err := s.UseImports(k.Jobs, files); err != nil {
		return nil, err
	}
	k.AddFileOwner(backup.FileOwner{Bucket: bucket, Keys: s.FileKeys})
	k.AddStorageUse(s.StorageUsed)
	k.Accounts.RegisterExporter("newsletter", s.Export)
	k.Accounts.RegisterEraser(s.Eraser())
	if err := k.AddPrivacy(s.Processing(), s.RetentionRules()); err != nil {
		return nil, err
	}
	if err := k.AddMails("newsletter", newsletter.MailFiles()); err != nil {
		return nil, err
	}
	k.Backoffice.AddSection(staffweb.Section{Key: "newsletter.section", DescKey: "newsletter.section_desc", Path: "/gestion/lettre",
		Roles: []account.Role{account.RoleEditor}, Order: 135})
	k.Home.AddPracticalLink(web.NavItem{Key: "newsletter.practical", Path: "/lettre"})
	m := &Module{k: k, store: s, files: files, bounceKey: tokens.Key("newsletter-bounces", k.SecretKey)}
	c.Store, c.Module = s, m
	return m, nil
}

// progressTopic is the live topic of a campaign's sending.
func progressTopic(campaignID string) string { return "lettre:" + campaignID }

// bounceSecret is the secret in a collectivité's address for bounce
// reports: a MAC of its id, so that nothing is stored and each
// collectivité's address is its own.
func bounceSecret(key [32]byte, tenantID string) string {
	m := hmac.New(sha256.New, key[:])
	m.Write([]byte(tenantID))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// Generator implements kernel.Generator: "guichet seed newsletter"
// writes generated subscribers for scale tests, e.g. --count 100000.
func (c *Capability) Generator() kernel.Generate {
	return kernel.Generate{Name: "newsletter",
		Flags: func(fs *flag.FlagSet) { fs.IntVar(&c.count, "count", 10000, "subscribers to write") },
		Run: func(ctx context.Context, t *tenant.Tenant, p kernel.Progress, out io.Writer) error {
			if c.count < 0 {
				return fmt.Errorf("seed newsletter needs a non-negative count")
			}
			p.Total(c.count)
			err := c.Store.GenerateSubscribers(ctx, t.ID, "courriel.localhost", c.count, nil, func(done int) { p.Done(done) })
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "%d subscribers written to %s\n", c.count, t.Slug)
			return nil
		}}
}
