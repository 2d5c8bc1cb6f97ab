package eventsweb

import (
	"context"
	"flag"
	"fmt"
	"io"

	"guichet/internal/capability/events"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/kernel/web/portalweb"
)

// Capability is the agenda: events and registrations, installed into the
// kernel.
type Capability struct {
	k *kernel.Kernel
	// Store and Module are set by Install.
	Store  *events.Store
	Module *Module
	count  int // events "guichet seed events" writes
}

// NewCapability returns the agenda, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns the agenda as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "events" }

// Migrations implements kernel.Capability: publishing's shared set.
func (c *Capability) Migrations() db.Migrations { return events.Migrations }

// Install builds the store and registers its mails, export
// ("event_registrations", as in every export so far), erasure, retention,
// register line, back-office section and home-page block. Editors write
// and publish.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	s := events.NewStore(k.DB, k.Mail)
	s.Join(k.Changes)
	s.Now = k.Now
	k.Accounts.RegisterExporter("event_registrations", s.ExportRegistrations)
	k.Accounts.RegisterEraser(s.Eraser())
	if err := k.AddPrivacy(s.Processing(), s.RetentionRules()); err != nil {
		return nil, err
	}
	if err := k.AddMails("events", events.MailFiles()); err != nil {
		return nil, err
	}
	k.Backoffice.AddSection(staffweb.Section{Key: "events.section", DescKey: "events.section_desc", Path: "/gestion/agenda",
		Roles: []account.Role{account.RoleEditor}, Order: 110})
	m := New(s)
	k.Home.AddHomeBlock(m)
	k.AddPublications(publications(s))
	k.Home.AddFeed(portalweb.Feed{TitleKey: "events.feed.agenda", Type: "text/calendar", Path: "/agenda/flux.ics"})
	c.Store, c.Module = s, m
	return m, nil
}

// Generator implements kernel.Generator: "guichet seed events" writes
// generated events for scale tests, e.g. --count 2000.
func (c *Capability) Generator() kernel.Generate {
	return kernel.Generate{Name: "events",
		Flags: func(fs *flag.FlagSet) { fs.IntVar(&c.count, "count", 200, "events to write") },
		Run: func(ctx context.Context, t *tenant.Tenant, p kernel.Progress, out io.Writer) error {
			if c.count < 0 {
				return fmt.Errorf("seed events needs a non-negative count")
			}
			p.Total(c.count)
			done := 0
			if err := c.Store.Generate(ctx, t.ID, t.Location(), c.count, func() { done++; p.Done(done) }); err != nil {
				return err
			}
			fmt.Fprintf(out, "%d events written to %s\n", c.count, t.Slug)
			return nil
		}}
}
