package participationweb

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/capability/participation"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

// demoSpace is a space of the demo; community names the community it
// belongs to by slug (empty for a topic).
type demoSpace struct {
	participation.Space
	community string
}

// The town's spaces: three of its communities' and two topics'.
var townSpaces = []demoSpace{
	{Space: participation.Space{Slug: "quartier-des-tilleuls", Name: "Quartier des Tilleuls", Position: 1,
		Description: "Les échanges entre voisins du quartier des Tilleuls : la vie du quartier, les projets du comité, " +
			"les questions pratiques.", Rules: participation.Rules{LinksAllowed: true}}, community: "quartier-des-tilleuls"},
	{Space: participation.Space{Slug: "ecole-jules-ferry", Name: "Parents de l'école Jules-Ferry", Position: 2,
		Description: "Entre familles de l'école Jules-Ferry : sorties, cantine, périscolaire, covoiturage.",
		Rules:       participation.Rules{LinksAllowed: true}}, community: "ecole-jules-ferry"},
	{Space: participation.Space{Slug: "jardins-partages", Name: "Jardins partagés de la Gare", Position: 3,
		Description: "Les jardiniers de la Gare s'organisent : chantiers collectifs, semis, outils à partager.",
		Rules:       participation.Rules{LinksAllowed: true}}, community: "jardins-partages"},
	{Space: participation.Space{Slug: "se-deplacer", Name: "Se déplacer à Montclair", Position: 4,
		Description: "Vélo, bus, stationnement, marche : comment mieux circuler en ville ? Les services de la mairie " +
			"lisent ces échanges.", Rules: participation.Rules{LinksAllowed: true}}},
	{Space: participation.Space{Slug: "debats-de-la-commune", Name: "Débats de la commune", Position: 5,
		Description: "Les grandes questions que la municipalité met en débat : chacun y donne ses arguments pour ou " +
			"contre, et une synthèse clôt chaque débat. Les messages des comptes récents sont relus avant publication ; " +
			"les liens n'y sont pas permis.", Rules: participation.Rules{PremoderateNew: true}}},
}

// The village's space.
var villageSpaces = []demoSpace{
	{Space: participation.Space{Slug: "vie-du-village", Name: "Vie du village", Position: 1,
		Description: "Les échanges des habitants de Sauvigny.", Rules: participation.Rules{LinksAllowed: true}}},
}

// demoResident is a resident who writes in the demo; days is their
// account's age.
type demoResident struct {
	email, name string
	days        int
}

// townResidents write the demo's threads, arguments and ballots: the
// demo's residents first, then neighbours with accounts of their own
// (the last one new, whose messages the debates' space holds).
var townResidents = []demoResident{
	{demo.Resident, "Claire Martin", 400},
	{"habitant@courriel.localhost", "Julien Petit", 380},
	{"association@courriel.localhost", "Françoise Lemoine", 500},
	{"nadia.benali@courriel.localhost", "Nadia Benali", 250},
	{"thomas.girard@courriel.localhost", "Thomas Girard", 190},
	{"sophie.marchand@courriel.localhost", "Sophie Marchand", 320},
	{"karim.haddad@courriel.localhost", "Karim Haddad", 150},
	{"lucie.fontaine@courriel.localhost", "Lucie Fontaine", 90},
	{"paul.renaud@courriel.localhost", "Paul Renaud", 60},
	{"emma.lefebvre@courriel.localhost", "Emma Lefebvre", 2},
}

// SeedDemo implements kernel.DemoContent: the spaces and the residents
// first, then each part's content.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	for slug, spaces := range map[string][]demoSpace{demo.Town: townSpaces, demo.Village: villageSpaces} {
		t, ok := tenants[slug]
		if !ok {
			continue
		}
		if err := c.seedSpaces(ctx, t, spaces); err != nil {
			return err
		}
	}
	town, ok := tenants[demo.Town]
	if !ok {
		return nil
	}
	residents, err := c.seedResidents(ctx, town, townResidents)
	if err != nil {
		return err
	}
	d := demoTown{tenant: town, residents: residents, village: tenants[demo.Village]}
	for _, seed := range []func(context.Context, demoTown) error{c.seedDiscussions, c.seedDebates, c.seedPolls,
		c.seedModeration, c.seedNotifications, c.seedPrivate} {
		if err := seed(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// demoTown is what each part's demo reads: the town, its writing
// residents in townResidents' order, and the village (nil without it).
type demoTown struct {
	tenant    *tenant.Tenant
	residents []participation.Author
	village   *tenant.Tenant
}

// seedSpaces creates spaces, tied to their communities where the
// communities' demo made them.
func (c *Capability) seedSpaces(ctx context.Context, t *tenant.Tenant, spaces []demoSpace) error {
	communities, err := c.k.Communities(ctx, t.ID)
	if err != nil {
		return err
	}
	for _, d := range spaces {
		sp := d.Space
		sp.TenantID = t.ID
		for _, cm := range communities {
			if cm.Slug == d.community {
				sp.CommunityID, sp.CommunityName = cm.ID, cm.Name
			}
		}
		if err := c.Store.CreateSpace(ctx, &sp); err != nil {
			return fmt.Errorf("space %s: %w", d.Slug, err)
		}
	}
	return nil
}

// seedResidents finds or creates each resident, their account as old as
// the demo says.
func (c *Capability) seedResidents(ctx context.Context, t *tenant.Tenant, list []demoResident) ([]participation.Author, error) {
	now := c.k.Now().UTC()
	out := make([]participation.Author, len(list))
	for i, d := range list {
		u, err := c.k.Accounts.ByEmail(ctx, t.ID, d.email)
		if err != nil {
			if u, err = c.k.Accounts.CreateVerified(ctx, t.ID, d.email, d.name); err != nil {
				return nil, fmt.Errorf("resident %s: %w", d.email, err)
			}
		}
		since := now.Add(-time.Duration(d.days) * 24 * time.Hour)
		if _, err := c.k.DB.Exec(ctx, `UPDATE users SET created_at = ? WHERE tenant_id = ? AND id = ? AND created_at > ?`,
			since, t.ID, u.ID, since); err != nil {
			return nil, err
		}
		out[i] = participation.Author{ID: u.ID, Name: d.name, Since: since}
	}
	return out, nil
}
