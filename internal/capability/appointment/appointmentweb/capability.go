package appointmentweb

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"guichet/internal/publishing/search"
	"io"
	"time"

	"guichet/internal/capability/appointment"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// Capability is appointments: agendas, slots, bookings and the waiting
// list, installed into the kernel.
type Capability struct {
	k *kernel.Kernel
	// Store is set by Install.
	Store *appointment.Store
	gen   appointment.GenerateOptions
	rush  appointment.RushOptions
}

// NewCapability returns appointments, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns appointments as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "appointment" }

// Migrations implements kernel.Capability.
func (c *Capability) Migrations() db.Migrations { return appointment.Migrations }

// Install builds the store on the job queue and the outbox, and registers
// its emails, exports, erasure, retention and back-office section.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	s := appointment.NewStore(k.DB, k.SecretKey)
	s.Search = search.New(k.DB)
	s.Search.Now = k.Now
	s.Now = k.Now
	s.Join(k.Changes)
	k.OnClose(s.Close)
	if err := s.Wire(k.Jobs, k.Mail, k.Tenants); err != nil {
		return nil, err
	}
	k.SetCheckIn(func(ctx context.Context, tenantID, ref string, loc *time.Location, services []string) (*kernel.Arrival, error) {
		b, service, err := s.CheckIn(ctx, tenantID, ref, loc, services)
		if errors.Is(err, appointment.ErrNotHere) {
			return nil, kernel.ErrAppointmentElsewhere
		}
		if err != nil {
			return nil, err
		}
		return &kernel.Arrival{Reference: b.Reference, ServiceKey: service, Start: b.Start}, nil
	})
	k.Accounts.RegisterExporter("appointments", s.Export)
	k.Accounts.RegisterExporter("appointment_waitlist", s.ExportWaitlist)
	k.Accounts.RegisterEraser(s.Eraser())
	if err := k.AddPrivacy(s.Processing(), s.RetentionRules()); err != nil {
		return nil, err
	}
	if err := k.AddMails("appointment", appointment.MailFiles()); err != nil {
		return nil, err
	}
	k.Backoffice.AddSection(staffweb.Section{Key: "appointment.section", DescKey: "appointment.section_desc",
		Path: "/gestion/rendez-vous", Roles: []account.Role{account.RoleAgent}, Order: 200})
	c.Store = s
	return New(s), nil
}

// Generator implements kernel.Generator: "guichet seed appointments"
// creates agendas full of bookings for scale tests, e.g.
// --agendas 20 --resources 10 --days 90 --bookings 100000; with
// --rush-places, one agenda whose one open day holds exactly that many
// places instead, for a booking rush (scripts/rush).
func (c *Capability) Generator() kernel.Generate {
	o := &c.gen
	rush := &c.rush
	return kernel.Generate{Name: "appointments",
		Flags: func(fs *flag.FlagSet) {
			fs.IntVar(&o.Agendas, "agendas", 5, "agendas to create")
			fs.IntVar(&o.Resources, "resources", 6, "resources (counters, agents, stations) per agenda, 64 at most")
			fs.IntVar(&o.Days, "days", 60, "days covered, half past and half to come")
			fs.IntVar(&o.Bookings, "bookings", 10000, "bookings to write, as many as the agendas hold at most")
			fs.Uint64Var(&o.Seed, "seed", 0, "seed of the random choices (0: a new one)")
			fs.IntVar(&rush.Places, "rush-places", 0, "instead: one agenda whose one open day, ten days ahead, holds exactly this many places (a booking rush)")
			fs.IntVar(&rush.Stations, "rush-stations", 10, "stations of that agenda; the places are a multiple of them")
		},
		Run: func(ctx context.Context, t *tenant.Tenant, p kernel.Progress, out io.Writer) error {
			if rush.Places > 0 {
				p.Total(1)
				r, err := c.Store.SeedRush(ctx, t.ID, t.Location(), *rush)
				if err != nil {
					return err
				}
				p.Done(1)
				fmt.Fprintf(out, "agenda %s: %d places (%d stations × %d times) on %s, type %s\n",
					r.Agenda.Slug, rush.Places, rush.Stations, rush.Places/rush.Stations, r.Day, r.Type.Slug)
				return nil
			}
			if err := o.Validate(); err != nil {
				return err
			}
			p.Total(o.Bookings)
			g, err := c.Store.Generate(ctx, t.ID, t.Location(), *o, p.Done)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "%d agendas with %d resources and %d closures, %d bookings (%d cancelled) holding %d units, written to %s\n",
				g.Agendas, g.Resources, g.Exceptions, g.Bookings, g.Cancelled, g.Units, t.Slug)
			if g.Bookings < o.Bookings {
				fmt.Fprintf(out, "the agendas' hours held %d bookings at most: add agendas, resources or days for more\n", g.Room)
			}
			return nil
		}}
}
