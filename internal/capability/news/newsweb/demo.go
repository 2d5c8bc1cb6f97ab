package newsweb

import (
	"context"
	"time"

	"guichet/internal/capability/news"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
)

// SeedDemo implements kernel.DemoContent: news for both demo
// collectivités, each its own, and a draft.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	for slug, t := range tenants {
		if err := c.seedNews(ctx, t, slug == demo.Town); err != nil {
			return err
		}
	}
	return nil
}

// villageNews is the village's own news: a small commune's concerns.
var villageNews = []*news.News{
	{Category: "travaux", Title: "Réfection du pont des Granges", Summary: "Le pont est fermé aux véhicules de plus de 3,5 tonnes pendant un mois.",
		Body:     "Les travaux de **réfection du pont des Granges** commencent lundi. Une déviation est fléchée par la route de la Forêt.\n\nLes piétons et les cyclistes passent toujours.",
		EasyRead: "Des ouvriers réparent le pont des Granges.\n\nLes camions ne peuvent pas passer pendant un mois.\n\nLes piétons et les vélos peuvent passer.",
		TitleEN:  "Repairs to the Granges bridge",
		BodyEN:   "Repairs to the **Granges bridge** start on Monday. A diversion is signposted along the route de la Forêt.\n\nPedestrians and cyclists can still cross."},
	{Category: "vie-municipale", Title: "Permanence du maire le samedi matin", Summary: "Le maire reçoit sans rendez-vous de 10 h à 12 h.",
		Body: "Une permanence se tient chaque samedi matin à la mairie. Venez parler de vos projets, de la vie du bourg ou d'une difficulté."},
	{Category: "solidarite", Title: "Repas des aînés à la salle communale", Summary: "Inscriptions en mairie avant la fin du mois.",
		Body: "Le repas offert aux habitants de plus de 70 ans aura lieu à la salle communale. Un transport peut être organisé pour ceux qui en ont besoin."},
	{Category: "environnement", Title: "Ramassage des encombrants en porte-à-porte", Summary: "Inscrivez-vous en mairie pour le passage du camion.",
		Body: "Le camion passe le premier mardi du mois chez les habitants inscrits. Les appareils électriques et les meubles sont acceptés, les gravats non."},
}

func (c *Capability) seedNews(ctx context.Context, t *tenant.Tenant, town bool) error {
	s, who := c.Store, "Service communication"
	ago := func(days int) *time.Time {
		at := c.k.Now().Add(-time.Duration(days) * 24 * time.Hour).Truncate(time.Second)
		return &at
	}
	items := []*news.News{
		{Category: "travaux", Title: "Travaux rue Victor-Hugo : circulation alternée", Summary: "Réfection de la chaussée et des trottoirs pendant trois semaines.",
			Body:     "La rue Victor-Hugo fait l'objet de **travaux de voirie** du lundi au vendredi, de 8 h à 17 h.\n\n- circulation alternée par feux ;\n- stationnement interdit côté pair ;\n- accès des riverains maintenu.\n\nRenseignements auprès des services techniques.",
			EasyRead: "Des ouvriers réparent la rue Victor-Hugo.\n\nLes voitures passent chacune leur tour.\n\nLes travaux durent 3 semaines.",
			TitleEN:  "Roadworks on rue Victor-Hugo: alternating traffic",
			BodyEN:   "**Roadworks** are under way on rue Victor-Hugo from Monday to Friday, 8 am to 5 pm.\n\n- traffic lights let one direction through at a time;\n- no parking on the even-numbered side;\n- residents keep access to their homes.\n\nAsk the technical services for details."},
		{Category: "vie-municipale", Title: "Compte rendu du conseil municipal", Summary: "Budget primitif, tarifs de la cantine et subventions aux associations.",
			Body: "Le conseil municipal s'est réuni en séance publique. Il a adopté le **budget primitif**, voté les tarifs de la restauration scolaire et attribué les subventions aux associations.\n\nLe procès-verbal est consultable en mairie."},
		{Category: "education", Title: "Inscriptions à l'école pour la rentrée", Summary: "Les inscriptions scolaires sont ouvertes en mairie.",
			Body:    "Les familles dont l'enfant entre à l'école maternelle ou arrive dans la commune peuvent l'inscrire en mairie, avec le livret de famille et un justificatif de domicile.",
			TitleEN: "School registration for the new school year",
			BodyEN:  "Families whose child starts nursery school or moves to the town can register them at the town hall, with their family record book and a proof of address."},
		{Category: "environnement", Title: "Collecte des déchets verts au printemps", Summary: "Une benne est installée chaque samedi matin près des ateliers municipaux.",
			Body: "Tontes, tailles de haies et feuilles sont acceptées. Les souches et les sacs plastique ne le sont pas."},
	}
	if !town {
		items = make([]*news.News, len(villageNews))
		for i, n := range villageNews {
			copied := *n
			items[i] = &copied
		}
	}
	for i, n := range items {
		n.TenantID, n.Status, n.PublishAt = t.ID, publishing.StatusPublished, ago(2+5*i)
		if err := s.Save(ctx, n, who, "published"); err != nil {
			return err
		}
	}
	draft := &news.News{TenantID: t.ID, Category: "culture", Title: "Programme de la saison culturelle", Body: "Brouillon en cours de rédaction."}
	if err := s.Save(ctx, draft, who, "created"); err != nil {
		return err
	}
	return nil
}
