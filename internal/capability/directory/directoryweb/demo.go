package directoryweb

import (
	"context"
	"fmt"

	"guichet/internal/capability/directory"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

// DemoManager is the demo account that manages the Amicale des
// Tilleuls' entry; DemoManaged is that entry.
const (
	DemoManager = "association@courriel.localhost"
	DemoManaged = "amicale-des-tilleuls"
)

// DemoRejection is the reason the town gave for refusing the Amicale's
// first proposal.
const DemoRejection = "Le numéro indiqué est un portable personnel\u00a0: pour une fiche publique, " +
	"donnez plutôt celui de la salle de quartier ou une adresse électronique de l'association."

// SeedDemo implements kernel.DemoContent: the town's directory of about
// fifty places of every category, the village's few, and the Amicale des
// Tilleuls managed by its president, with one proposal refused (and its
// reason) and one waiting for the vie-locale service.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	if town, ok := tenants[demo.Town]; ok {
		if err := c.seed(ctx, town, townEntries, "86990", "Montclair-sur-Vienne"); err != nil {
			return err
		}
		if err := c.seedManager(ctx, town); err != nil {
			return err
		}
	}
	if village, ok := tenants[demo.Village]; ok {
		if err := c.seed(ctx, village, villageEntries, "21990", "Sauvigny-le-Haut"); err != nil {
			return err
		}
	}
	return nil
}

// seed writes entries as published, each through the staff's checks.
func (c *Capability) seed(ctx context.Context, t *tenant.Tenant, entries []demoEntry, postcode, city string) error {
	for _, d := range entries {
		k := kindByKey(d.kind)
		e := &directory.Entry{TenantID: t.ID, Slug: d.slug, Name: d.name, Category: k.Category, Kind: k.Key, Organisation: d.org,
			Summary: d.summary, Description: d.about, Address: d.address, Postcode: postcode, City: city,
			Lat: d.lat, Lon: d.lon, HasPosition: true, OpeningHours: d.hours, Phone: d.phone, Email: d.email,
			Website: d.website, SIRET: d.siret, Wheelchair: d.wheelchair, HearingLoop: d.loop, Accessibility: d.access,
			Published: true}
		if err := c.Store.Save(ctx, e, directory.CheckHours); err != nil {
			return fmt.Errorf("directory demo %s: %w", d.slug, err)
		}
	}
	return nil
}

func kindByKey(key string) directory.Kind {
	for _, k := range directory.Kinds {
		if k.Key == key {
			return k
		}
	}
	panic("directory demo: unknown kind " + key) // the table above is fixed
}

// seedManager makes the Amicale's president its manager, with her first
// proposal refused and a second one waiting.
func (c *Capability) seedManager(ctx context.Context, town *tenant.Tenant) error {
	u, err := c.k.Accounts.ByEmail(ctx, town.ID, DemoManager)
	if err != nil {
		return fmt.Errorf("directory demo: the association's account: %w", err)
	}
	e, err := c.Store.BySlug(ctx, town.ID, DemoManaged)
	if err != nil {
		return err
	}
	if err := c.Store.AddManager(ctx, town.ID, e.ID, u.ID, "Service vie locale"); err != nil {
		return err
	}
	site, _, err := c.k.Links(ctx, town.ID)
	if err != nil {
		return err
	}
	first := directory.ChangesOf(e)
	first.Phone = "06 12 34 56 78"
	first.Summary = "Fêtes de quartier, vide-grenier, aide aux devoirs, accueil des nouveaux habitants et jardinage au pied des immeubles."
	p, err := c.Store.Propose(ctx, town.ID, e.ID, u.ID, u.Name, first, directory.CheckHours, directory.Site{URL: site})
	if err != nil {
		return fmt.Errorf("directory demo: first proposal: %w", err)
	}
	if _, err := c.Store.Reject(ctx, town.ID, p.ID, DemoRejection, "Service vie locale", directory.Site{URL: site}, nil); err != nil {
		return err
	}
	second := directory.ChangesOf(e)
	second.OpeningHours = "We 18:00-20:00; Sa 10:00-12:00; Jul-Aug off"
	second.Accessibility = "Salle de quartier de plain-pied ; toilettes adaptées depuis les travaux de 2026."
	second.HearingLoop = true
	_, err = c.Store.Propose(ctx, town.ID, e.ID, u.ID, u.Name, second, directory.CheckHours, directory.Site{URL: site})
	return err
}
