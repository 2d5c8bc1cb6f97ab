package contentweb

import (
	"context"
	"flag"
	"fmt"
	"io"

	"guichet/internal/capability/content"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// Capability is local information (news, events and registrations),
// installed into the kernel.
type Capability struct {
	k *kernel.Kernel
	// Store and Module are set by Install.
	Store  *content.Store
	Module *Module
	gen    struct{ news, events int }
}

// NewCapability returns local information, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns local information as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "content" }

// Migrations implements kernel.Capability.
func (c *Capability) Migrations() db.Migrations { return content.Migrations }

// Install builds the store and
// registers its mails, exports, erasure, retention, back-office sections
// and home-page block. Editors write and publish.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	s := content.NewStore(k.DB, k.Mail)
	s.Join(k.Changes)
	s.Now = k.Now
	k.Accounts.RegisterExporter("event_registrations", s.ExportRegistrations)
	k.Accounts.RegisterEraser(s.Eraser())
	if err := k.AddPrivacy(s.Processing(), s.RetentionRules()); err != nil {
		return nil, err
	}
	m := New(s)
	if err := k.AddMails("content", content.MailFiles()); err != nil {
		return nil, err
	}
	editor := []account.Role{account.RoleEditor}
	k.Backoffice.AddSection(
		staffweb.Section{Key: "content.section.news", DescKey: "content.section.news_desc", Path: "/gestion/actualites", Roles: editor, Order: 100},
		staffweb.Section{Key: "content.section.events", DescKey: "content.section.events_desc", Path: "/gestion/agenda", Roles: editor, Order: 110},
	)
	k.Home.AddHomeBlock(m)
	c.Store, c.Module = s, m
	return m, nil
}

// Generator implements kernel.Generator: "guichet seed content" writes
// generated news and events for scale tests, e.g. --news 10000 --events 2000.
func (c *Capability) Generator() kernel.Generate {
	return kernel.Generate{Name: "content",
		Flags: func(fs *flag.FlagSet) {
			fs.IntVar(&c.gen.news, "news", 1000, "news items to write")
			fs.IntVar(&c.gen.events, "events", 200, "events to write")
		},
		Run: func(ctx context.Context, t *tenant.Tenant, p kernel.Progress, out io.Writer) error {
			news, events := c.gen.news, c.gen.events
			if news < 0 || events < 0 {
				return fmt.Errorf("seed content needs non-negative counts")
			}
			p.Total(news + events)
			done := 0
			if err := c.Store.Generate(ctx, t.ID, t.Location(), news, events, func() { done++; p.Done(done) }); err != nil {
				return err
			}
			fmt.Fprintf(out, "%d news and %d events written to %s\n", news, events, t.Slug)
			return nil
		}}
}
