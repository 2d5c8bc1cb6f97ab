package newsweb

import (
	"context"
	"flag"
	"fmt"
	"io"

	"guichet/internal/capability/news"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/kernel/web/portalweb"
)

// Capability is the news of a collectivité,
// installed into the kernel.
type Capability struct {
	k *kernel.Kernel
	// Store and Module are set by Install.
	Store  *news.Store
	Module *Module
	count  int // news items "guichet seed news" writes
}

// NewCapability returns local information, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns local information as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "news" }

// Migrations implements kernel.Capability.
func (c *Capability) Migrations() db.Migrations { return news.Migrations }

// Install builds the store and registers the back-office section and
// the home page's block. Editors write and publish; news keeps no
// personal data.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	s := news.NewStore(k.DB)
	s.Join(k.Changes)
	s.Now = k.Now
	s.CheckStorage = k.CheckStorage
	k.AddStorageUse(s.StorageUsed)
	k.Backoffice.AddSection(staffweb.Section{Key: "news.section.news", DescKey: "news.section.news_desc", Path: "/gestion/actualites",
		Roles: []account.Role{account.RoleEditor}, Order: 100})
	m := New(s)
	k.Home.AddHomeBlock(m)
	k.AddPublications(publications(s))
	m.replies = k.Replies
	k.Home.AddFeed(portalweb.Feed{TitleKey: "news.feed.news", Type: "application/atom+xml", Path: "/actualites/flux.atom"})
	c.Store, c.Module = s, m
	return m, nil
}

// Generator implements kernel.Generator: "guichet seed news" writes
// generated news for scale tests, e.g. --count 10000.
func (c *Capability) Generator() kernel.Generate {
	return kernel.Generate{Name: "news",
		Flags: func(fs *flag.FlagSet) { fs.IntVar(&c.count, "count", 1000, "news items to write") },
		Run: func(ctx context.Context, t *tenant.Tenant, p kernel.Progress, out io.Writer) error {
			if c.count < 0 {
				return fmt.Errorf("seed news needs a non-negative count")
			}
			p.Total(c.count)
			done := 0
			if err := c.Store.Generate(ctx, t.ID, c.count, func() { done++; p.Done(done) }); err != nil {
				return err
			}
			fmt.Fprintf(out, "%d news written to %s\n", c.count, t.Slug)
			return nil
		}}
}
