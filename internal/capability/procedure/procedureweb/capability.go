package procedureweb

import (
	"context"
	"flag"
	"fmt"
	"guichet/internal/kernel/backup"
	"guichet/internal/publishing/search"
	"io"
	"net/url"
	"time"

	"guichet/internal/capability/procedure"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/applications"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// Periodic work of online procedures.
const (
	silenceEvery   = 15 * time.Minute
	retentionEvery = 6 * time.Hour
)

// Capability is online procedures and their cases, installed into the
// kernel.
type Capability struct {
	k *kernel.Kernel
	// Store, Service and Module are set by Install.
	Store   *procedure.Store
	Service *procedure.Service
	Module  *Module
	gen     struct {
		procedure string
		cases     int
	}
}

// NewCapability returns online procedures, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns online procedures as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "procedure" }

// Migrations implements kernel.Capability.
func (c *Capability) Migrations() db.Migrations { return procedure.Migrations }

// Install builds the store, with uploads in the data folder's "fichiers"
// sub-folder, and registers its emails, periodic jobs (silence,
// retention), exports, erasure and back-office sections.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	storage, err := k.Files("fichiers")
	if err != nil {
		return nil, err
	}
	s := procedure.NewStore(k.DB, storage)
	k.AddFileOwner(backup.FileOwner{Bucket: "fichiers", Keys: s.FileKeys})
	k.AddStorageUse(s.StorageUsed)
	s.CheckStorage = k.CheckStorage
	s.Now = k.Now
	s.Search = search.New(k.DB)
	s.Changes = k.Changes
	s.Live = k.Live
	s.Search.Now = k.Now
	s.Law = k.Applications
	s.Zone = func(ctx context.Context, tenantID string) (*time.Location, error) {
		_, loc, err := k.Links(ctx, tenantID)
		return loc, err
	}
	k.SetApplicationStarts(c.starts)
	k.SetApplicationRegister(s.Register)
	k.Accounts.RegisterExporter("procedures", s.Export)
	k.Accounts.RegisterEraser(s.Eraser())
	if err := k.AddPrivacy(s.Processing(), s.RetentionRules()); err != nil {
		return nil, err
	}
	svc := procedure.NewService(s, k.Staff, k.Mail, procedure.Links(k.Links), k.Log)
	m := New(svc, k.Staff)
	if err := k.AddMails("procedure", procedure.MailFiles()); err != nil {
		return nil, err
	}
	if err := k.Jobs.Periodic("procedure-silence", silenceEvery, svc.RunSilence); err != nil {
		return nil, err
	}
	if err := k.Jobs.Periodic("procedure-retention", retentionEvery, svc.RunRetention); err != nil {
		return nil, err
	}
	if err := k.Jobs.Periodic("procedure-application-reminders", silenceEvery, svc.RunReminders); err != nil {
		return nil, err
	}
	k.Backoffice.AddSection(
		staffweb.Section{Key: "procedure.section.inbox", DescKey: "procedure.section.inbox_desc",
			Path: InboxPath, Roles: []account.Role{account.RoleAgent}, Order: 100},
		staffweb.Section{Key: "procedure.section.admin", DescKey: "procedure.section.admin_desc",
			Path: AdminPath, Roles: []account.Role{account.RoleAdmin}, Order: 110})
	c.Store, c.Service, c.Module = s, svc, m
	return m, nil
}

// starts lists the collectivité's published procedures that take an
// urban-planning application, each started for parcel.
func (c *Capability) starts(ctx context.Context, tenantID, parcel string) ([]applications.Start, error) {
	list, err := c.Store.PublishedProcedures(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	var out []applications.Start
	for _, p := range list {
		if p.Application != "" {
			out = append(out, applications.Start{Title: p.Title, Kind: p.Application,
				Path: "/demarches/" + p.Slug + "?" + procedure.ParcelField + "=" + url.QueryEscape(parcel)})
		}
	}
	return out, nil
}

// Generator implements kernel.Generator: "guichet seed cases" files
// generated cases in one published procedure, e.g. --cases 100000.
func (c *Capability) Generator() kernel.Generate {
	return kernel.Generate{Name: "cases",
		Flags: func(fs *flag.FlagSet) {
			fs.StringVar(&c.gen.procedure, "procedure", "inscription-scolaire", "address of a published procedure")
			fs.IntVar(&c.gen.cases, "cases", 10000, "cases to file")
		},
		Run: func(ctx context.Context, t *tenant.Tenant, p kernel.Progress, out io.Writer) error {
			n, slug := c.gen.cases, c.gen.procedure
			if n <= 0 {
				return fmt.Errorf("seed cases needs a positive --cases")
			}
			proc, err := c.Store.ProcedureBySlug(ctx, t.ID, slug)
			if err != nil {
				return err
			}
			if proc.Version == 0 {
				return fmt.Errorf("procedure %s was never published", slug)
			}
			p.Total(n)
			if err := c.Store.Generate(ctx, proc, n, p.Done); err != nil {
				return err
			}
			fmt.Fprintf(out, "%d cases filed in %s/%s\n", n, t.Slug, slug)
			return nil
		}}
}
