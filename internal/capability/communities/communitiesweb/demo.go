package communitiesweb

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"guichet/internal/capability/communities"
	"guichet/internal/kernel"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
)

// demoCommunity is a community of the demo with its feed.
type demoCommunity struct {
	communities.Community
	// entry is the slug of its directory entry.
	entry string
	posts []demoPost
	// attach names the news and events attached, by their titles.
	attach []string
}

type demoPost struct {
	title, body string
	staff       bool
	daysAgo     int
}

// The town's communities (the slugs the demo shares).
var townCommunities = []demoCommunity{
	{Community: communities.Community{Slug: "quartier-des-tilleuls", Name: "Quartier des Tilleuls", Kind: communities.Neighbourhood,
		Area: "Les Tilleuls", Description: "Le quartier des Tilleuls, de la rue des Écoles au parc des Glycines : ses habitants, " +
			"son comité de quartier (l'Amicale des Tilleuls), ses travaux et ses alertes.\n\n" +
			"Les alertes du quartier (coupures d'eau, travaux, circulation) arrivent dans ce fil d'elles-mêmes."},
		posts: []demoPost{
			{"Réunion du comité de quartier mardi à 19 h", "L'Amicale des Tilleuls réunit les habitants **mardi à 19 h** à la salle " +
				"des associations, 4 rue des Écoles.\n\nAu programme : le stationnement rue des Glycines, la fête des voisins, " +
				"les jardinières de la place.", false, 2},
			{"Nouveaux bacs de tri rue des Tilleuls", "Deux colonnes de tri (verre et papier) sont installées au bout de la rue des " +
				"Tilleuls, près de l'arrêt de bus. Les anciens bacs sont retirés la semaine prochaine.", true, 6},
		},
		attach: []string{"Fête de l'été", "Collecte des déchets verts au printemps"}},
	{Community: communities.Community{Slug: "ecole-jules-ferry", Name: "École Jules-Ferry", Kind: communities.School,
		Description: "Les familles de l'école élémentaire Jules-Ferry : la vie de l'école, les sorties, la cantine et le périscolaire, " +
			"avec l'association des parents d'élèves."},
		entry: "ecole-jules-ferry",
		posts: []demoPost{
			{"Kermesse de fin d'année : appel aux parents bénévoles", "La kermesse aura lieu le dernier samedi de juin dans la cour " +
				"de l'école. Il manque des bras pour les stands de jeux et la buvette : inscrivez-vous auprès de l'enseignant de " +
				"votre enfant.", false, 1},
			{"Menus de la cantine du mois", "Les menus du mois sont affichés à l'entrée de l'école et sur le panneau de la mairie. " +
				"Un repas végétarien est servi chaque jeudi.", true, 8},
		},
		attach: []string{"Inscriptions à l'école pour la rentrée", "Fête de l'été"}},
	{Community: communities.Community{Slug: "jardins-partages", Name: "Jardins partagés de la Gare", Kind: communities.Association,
		Description: "Trente parcelles cultivées ensemble derrière la gare. Chacun peut venir aider aux chantiers collectifs, " +
			"même sans parcelle."},
		entry: "jardins-partages",
		posts: []demoPost{
			{"Chantier collectif de plantation samedi", "Rendez-vous **samedi à 9 h 30** au portail des jardins : plantation des " +
				"haies fruitières et réparation du composteur. Apportez vos gants, le café est offert.", false, 3},
			{"Bourse aux graines", "Échangez vos graines et vos plants à la cabane des jardins, le premier dimanche du mois, " +
				"de 10 h à 12 h.", false, 9},
		},
		attach: []string{"Marché hebdomadaire", "Collecte des déchets verts au printemps"}},
	{Community: communities.Community{Slug: "marche-et-patrimoine", Name: "Marche et patrimoine", Kind: communities.Interest,
		Description: "Pour qui aime marcher et découvrir le patrimoine de Montclair-sur-Vienne : le pont roman, les ruines du " +
			"château, le lavoir de la Fontaine et les sentiers des bords de Vienne."},
		posts: []demoPost{
			{"Balade commentée du pont roman dimanche", "Départ dimanche à 14 h 30 du pont roman pour une balade de deux heures " +
				"jusqu'aux ruines du château, commentée par un guide de l'office de tourisme.", true, 4},
			{"Sentier des bords de Vienne : la boucle de 8 km balisée", "La boucle du sentier des bords de Vienne est balisée en jaune " +
				"depuis le lavoir de la Fontaine. Comptez deux heures et demie de marche.", true, 12},
		}},
}

// townNeighbours are residents of the town without a password (they never
// sign in in the demo) who make the communities' member counts.
var townNeighbours = []struct {
	name  string
	joins []int // indexes in townCommunities
}{
	{"Martine Giraud", []int{0, 3}}, {"Karim Benali", []int{0, 1}}, {"Sophie Lemaire", []int{1, 2}},
	{"Jean-Pierre Rousseau", []int{0, 3}}, {"Nadia Fontaine", []int{1}}, {"Thomas Morel", []int{2, 3}},
	{"Lucie Caron", []int{0, 1}}, {"Gérard Brunet", []int{3}}, {"Amandine Roux", []int{1}},
	{"Youssef Haddad", []int{0, 2}}, {"Claire Vasseur", []int{2}}, {"Paul Lefebvre", []int{0}},
	{"Élodie Marchand", []int{1, 3}}, {"Hugo Perrin", []int{0}}, {"Inès Gauthier", []int{2}},
	{"Marcel Dupuis", []int{3}}, {"Chantal Michaud", []int{0}}, {"Léa Bertin", []int{1}},
}

// SeedDemo implements kernel.DemoContent: the town's four communities
// with their members, animators, announcements, attached news and events
// (a neighbourhood's alerts come by themselves), the demo resident in
// three of them with the digest on; the village's one neighbourhood.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	if town, ok := tenants[demo.Town]; ok {
		if err := c.seedTown(ctx, town); err != nil {
			return err
		}
	}
	if village, ok := tenants[demo.Village]; ok {
		return c.seedVillage(ctx, village)
	}
	return nil
}

func (c *Capability) seedTown(ctx context.Context, town *tenant.Tenant) error {
	entries, err := c.k.DirectoryEntries(ctx, town.ID, kernel.DirectoryQuery{
		Categories: []string{kernel.CategorySchool, kernel.CategoryAssociation}, Organisations: true})
	if err != nil {
		return err
	}
	made := make([]*communities.Community, len(townCommunities))
	for i, d := range townCommunities {
		cm := d.Community
		cm.TenantID = town.ID
		for _, e := range entries {
			if e.Slug == d.entry {
				cm.EntryID = e.ID
			}
		}
		if err := c.Store.Create(ctx, &cm); err != nil {
			return fmt.Errorf("community %s: %w", d.Slug, err)
		}
		made[i] = &cm
		if err := c.seedFeed(ctx, town, &cm, d); err != nil {
			return err
		}
	}
	// The demo residents: she follows three communities, her digest daily;
	// he two, weekly; the Amicale's president animates her neighbourhood.
	members := []struct {
		email     string
		joins     []int
		frequency string
	}{
		{demo.Resident, []int{0, 1, 2}, communities.Daily},
		{"habitant@courriel.localhost", []int{0, 3}, communities.Weekly},
		{"association@courriel.localhost", []int{0}, communities.Weekly},
	}
	for _, mb := range members {
		u, err := c.k.Accounts.ByEmail(ctx, town.ID, mb.email)
		if err != nil {
			continue // a demo without this resident
		}
		if err := c.joinAll(ctx, town, u.ID, made, mb.joins, mb.frequency, true); err != nil {
			return err
		}
	}
	if _, err := c.Store.NameAnimator(ctx, town.ID, made[0].ID, "association@courriel.localhost"); err != nil && !errors.Is(err, communities.ErrNoResident) {
		return err
	}
	for _, n := range townNeighbours {
		u, err := c.k.Accounts.CreateVerified(ctx, town.ID, demoEmail(n.name), n.name)
		if err != nil {
			return fmt.Errorf("neighbour %s: %w", n.name, err)
		}
		if err := c.joinAll(ctx, town, u.ID, made, n.joins, communities.Weekly, false); err != nil {
			return err
		}
	}
	return nil
}

// joinAll makes a resident a member of made[joins...]; digest says
// whether their news go into the resident's digest.
func (c *Capability) joinAll(ctx context.Context, t *tenant.Tenant, userID string, made []*communities.Community, joins []int,
	frequency string, digest bool) error {
	chosen := map[string]bool{}
	for _, i := range joins {
		if _, err := c.Store.Join(ctx, t.ID, made[i].ID, userID, t.Location()); err != nil {
			return err
		}
		chosen[made[i].ID] = digest
	}
	return c.Store.SetNotifications(ctx, t.ID, userID, chosen, frequency, t.Location())
}

// seedFeed posts a demo community's announcements and attaches its news
// and events, dated over the last days.
func (c *Capability) seedFeed(ctx context.Context, t *tenant.Tenant, cm *communities.Community, d demoCommunity) error {
	now := c.k.Now()
	for _, dp := range d.posts {
		p := &communities.Post{TenantID: t.ID, CommunityID: cm.ID, Title: dp.title, Body: dp.body, ByStaff: dp.staff}
		if err := c.Store.AddPost(ctx, p); err != nil {
			return fmt.Errorf("announcement %q: %w", dp.title, err)
		}
		if err := c.backdate(ctx, "communities_posts", "published_at", p.ID, now.AddDate(0, 0, -dp.daysAgo)); err != nil {
			return err
		}
	}
	for i, title := range d.attach {
		it, ok := c.publication(ctx, t.ID, title)
		if !ok {
			continue // the news or events capability is not installed, or its demo changed
		}
		if err := c.Store.Attach(ctx, t.ID, cm.ID, it); err != nil {
			return fmt.Errorf("attach %q: %w", title, err)
		}
		links, err := c.Store.Links(ctx, t.ID, cm.ID, 1)
		if err != nil || len(links) == 0 {
			return fmt.Errorf("attached %q: %v", title, err)
		}
		if err := c.backdate(ctx, "communities_links", "attached_at", links[0].ID, now.Add(-time.Duration(5+24*i)*time.Hour)); err != nil {
			return err
		}
	}
	return nil
}

// publication finds a recent news item or event by its title.
func (c *Capability) publication(ctx context.Context, tenantID, title string) (kernel.Publication, bool) {
	for _, kind := range []string{communities.ItemEvent, communities.ItemNews} {
		src, ok := c.k.PublicationsOf(kind)
		if !ok || src.Recent == nil {
			continue
		}
		list, err := src.Recent(ctx, tenantID, c.k.Now(), 100)
		if err != nil {
			continue
		}
		for _, it := range list {
			if it.Title == title {
				return it, true
			}
		}
	}
	return kernel.Publication{}, false
}

// backdate sets when a demo row came in.
func (c *Capability) backdate(ctx context.Context, table, column, id string, at time.Time) error {
	_, err := c.Store.DB().Exec(ctx, `UPDATE `+table+` SET `+column+` = ? WHERE id = ?`, at.UTC(), id)
	return err
}

func (c *Capability) seedVillage(ctx context.Context, village *tenant.Tenant) error {
	cm := &communities.Community{TenantID: village.ID, Slug: "hameau-des-granges", Name: "Hameau des Granges",
		Kind: communities.Neighbourhood, Area: "Les Granges",
		Description: "Les maisons du hameau des Granges, de la ferme du Haut au gîte : les nouvelles du hameau et ses alertes."}
	if err := c.Store.Create(ctx, cm); err != nil {
		return err
	}
	p := &communities.Post{TenantID: village.ID, CommunityID: cm.ID, ByStaff: true, Title: "Réunion du hameau à la salle polyvalente",
		Body: "La mairie invite les habitants des Granges vendredi à 18 h 30 pour parler du chemin communal et de l'éclairage."}
	if err := c.Store.AddPost(ctx, p); err != nil {
		return err
	}
	if err := c.backdate(ctx, "communities_posts", "published_at", p.ID, c.k.Now().AddDate(0, 0, -2)); err != nil {
		return err
	}
	if u, err := c.k.Accounts.ByEmail(ctx, village.ID, "habitante@sauvigny.localhost"); err == nil {
		if err := c.joinAll(ctx, village, u.ID, []*communities.Community{cm}, []int{0}, communities.Weekly, true); err != nil {
			return err
		}
	}
	for _, name := range []string{"Bernard Collin", "Monique Charpentier", "Alain Guérin"} {
		u, err := c.k.Accounts.CreateVerified(ctx, village.ID, demoEmail(name), name)
		if err != nil {
			return fmt.Errorf("neighbour %s: %w", name, err)
		}
		if err := c.joinAll(ctx, village, u.ID, []*communities.Community{cm}, []int{0}, communities.Weekly, false); err != nil {
			return err
		}
	}
	return nil
}

// demoEmail is a neighbour's address: "Élodie Marchand" →
// "elodie.marchand@courriel.localhost".
func demoEmail(name string) string {
	parts := strings.Fields(name)
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(publishing.Slugify(p), "-", "")
	}
	return strings.Join(parts, ".") + "@courriel.localhost"
}
