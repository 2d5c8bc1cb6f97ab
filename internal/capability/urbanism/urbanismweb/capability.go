package urbanismweb

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"guichet/internal/capability/urbanism"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel"
	"guichet/internal/kernel/backup"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/kernel/web/portalweb"
)

// Capability is the territory and its urban plan, installed into the
// kernel.
type Capability struct {
	k *kernel.Kernel
	// Store and Module are set by Install.
	Store  *urbanism.Store
	Module *Module
	gen    struct {
		parcels, zones int
		write          string
	}
}

// NewCapability returns urbanism, not installed yet.
func NewCapability() *Capability { return &Capability{} }

// Of returns urbanism as installed in k.
func Of(k *kernel.Kernel) *Capability { return kernel.Find[*Capability](k) }

// Name implements kernel.Capability.
func (c *Capability) Name() string { return "urbanism" }

// Migrations implements kernel.Capability.
func (c *Capability) Migrations() db.Migrations { return urbanism.Migrations }

// Install builds the store (regulations in the "plu" bucket) and
// registers its files, the administrators' section and the practical
// link.
func (c *Capability) Install(k *kernel.Kernel) (web.Module, error) {
	c.k = k
	storage, err := k.Files("plu")
	if err != nil {
		return nil, err
	}
	s := urbanism.NewStore(k.DB, storage, k.Now, k.Changes)
	k.AddFileOwner(backup.FileOwner{Bucket: "plu", Keys: s.FileKeys})
	k.AddStorageUse(s.StorageUsed)
	k.Backoffice.AddSection(staffweb.Section{Key: "urbanism.section", DescKey: "urbanism.section_desc", Path: AdminPath,
		Roles: []account.Role{account.RoleAdmin}, Order: 125})
	k.Home.AddPracticalLink(web.NavItem{Key: "urbanism.practical", Path: HomePath})
	k.Home.AddFeed(portalweb.Feed{TitleKey: "urbanism.register.feed", Type: "application/atom+xml", Path: RegisterPath + "/flux.atom"})
	k.SetApplications(urbanism.Law{Store: s})
	k.SetTerritory(s.Seam())
	m := New(s)
	m.starts, m.register = k.StartsFor, k.ApplicationRegister
	c.Store, c.Module = s, m
	return m, nil
}

// Imports implements kernel.Importer: "guichet import cadastre|plu|adresses
// FILE --tenant <slug>".
func (c *Capability) Imports() []kernel.Import {
	usage := map[string]string{
		urbanism.SourceCadastre:  "Etalab cadastre GeoJSON (parcelles, sections or batiments; .json or .json.gz)",
		urbanism.SourcePLU:       "CNIG géostandard GeoJSON (ZONE_URBA, PRESCRIPTION_SURF, SUP assiettes)",
		urbanism.SourceAddresses: "Base Adresse Locale CSV (BAL 1.3 or 1.4, ';'-separated)",
	}
	var out []kernel.Import
	for _, source := range urbanism.Sources {
		out = append(out, kernel.Import{Name: source, Usage: usage[source],
			Run: func(ctx context.Context, t *tenant.Tenant, name string, body io.Reader, attribution string,
				read func(int64), w io.Writer) error {
				rep, err := c.Store.Import(ctx, t.ID, urbanism.ImportFile{Source: source, Name: name,
					Attribution: attribution, Body: body, Progress: read})
				if err != nil {
					return err
				}
				fmt.Fprintf(w, "%s imported into %s:\n%s", name, t.Slug, rep)
				return nil
			}})
	}
	return out
}

// Generator implements kernel.Generator: "guichet seed urbanism" imports
// a made-up commune (--parcels 20000 --zones 40) for scale tests, or,
// with --write DIR, only writes its two files there, for "guichet import".
func (c *Capability) Generator() kernel.Generate {
	return kernel.Generate{Name: "urbanism",
		Flags: func(fs *flag.FlagSet) {
			fs.IntVar(&c.gen.parcels, "parcels", 20000, "parcels to draw")
			fs.IntVar(&c.gen.zones, "zones", 40, "PLU zones to draw over them")
			fs.StringVar(&c.gen.write, "write", "", "write cadastre.json and plu.json in this folder instead of importing")
		},
		Run: func(ctx context.Context, t *tenant.Tenant, p kernel.Progress, out io.Writer) error {
			g := c.gen
			if g.parcels < 1 || g.zones < 1 {
				return fmt.Errorf("seed urbanism needs at least one parcel and one zone")
			}
			files := []struct {
				name, source string
				write        func(io.Writer) error
			}{
				{"cadastre.json", urbanism.SourceCadastre, func(w io.Writer) error { return urbanism.GenerateCadastre(w, t.INSEE, g.parcels) }},
				{"plu.json", urbanism.SourcePLU, func(w io.Writer) error { return urbanism.GeneratePLU(w, t.INSEE, g.parcels, g.zones) }},
			}
			p.Total(len(files))
			for i, f := range files {
				var buf bytes.Buffer
				if err := f.write(&buf); err != nil {
					return err
				}
				if g.write != "" {
					if err := os.WriteFile(filepath.Join(g.write, f.name), buf.Bytes(), 0o644); err != nil {
						return err
					}
					fmt.Fprintf(out, "%s written (%d bytes)\n", filepath.Join(g.write, f.name), buf.Len())
				} else {
					rep, err := c.Store.Import(ctx, t.ID, urbanism.ImportFile{Source: f.source, Name: f.name,
						Attribution: "Commune générée pour les essais de charge", Body: &buf})
					if err != nil {
						return err
					}
					fmt.Fprint(out, rep)
				}
				p.Done(i + 1)
			}
			return nil
		}}
}
