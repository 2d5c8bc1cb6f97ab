package contentweb

import (
	"context"
	"time"

	"guichet/internal/capability/content"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

// SeedDemo implements kernel.DemoContent: it writes local information for both demo collectivités: news,
// events (one weekly market, one with registrations).
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	for slug, t := range tenants {
		if err := c.seedContentFor(ctx, t, slug == demo.Town); err != nil {
			return err
		}
	}
	return nil
}

func (c *Capability) seedContentFor(ctx context.Context, t *tenant.Tenant, town bool) error {
	s, loc, who := c.Store, t.Location(), "Service communication"
	now := c.k.Now().In(loc)
	day := func(d, h, m int) time.Time {
		return time.Date(now.Year(), now.Month(), now.Day()+d, h, m, 0, 0, loc).UTC()
	}
	ago := func(days int) *time.Time {
		at := c.k.Now().Add(-time.Duration(days) * 24 * time.Hour).Truncate(time.Second)
		return &at
	}
	news := []*content.News{
		{Category: "travaux", Title: "Travaux rue Victor-Hugo : circulation alternée", Summary: "Réfection de la chaussée et des trottoirs pendant trois semaines.",
			Body:     "La rue Victor-Hugo fait l'objet de **travaux de voirie** du lundi au vendredi, de 8 h à 17 h.\n\n- circulation alternée par feux ;\n- stationnement interdit côté pair ;\n- accès des riverains maintenu.\n\nRenseignements auprès des services techniques.",
			EasyRead: "Des ouvriers réparent la rue Victor-Hugo.\n\nLes voitures passent chacune leur tour.\n\nLes travaux durent 3 semaines."},
		{Category: "vie-municipale", Title: "Compte rendu du conseil municipal", Summary: "Budget primitif, tarifs de la cantine et subventions aux associations.",
			Body: "Le conseil municipal s'est réuni en séance publique. Il a adopté le **budget primitif**, voté les tarifs de la restauration scolaire et attribué les subventions aux associations.\n\nLe procès-verbal est consultable en mairie."},
		{Category: "education", Title: "Inscriptions à l'école pour la rentrée", Summary: "Les inscriptions scolaires sont ouvertes en mairie.",
			Body: "Les familles dont l'enfant entre à l'école maternelle ou arrive dans la commune peuvent l'inscrire en mairie, avec le livret de famille et un justificatif de domicile."},
		{Category: "environnement", Title: "Collecte des déchets verts au printemps", Summary: "Une benne est installée chaque samedi matin près des ateliers municipaux.",
			Body: "Tontes, tailles de haies et feuilles sont acceptées. Les souches et les sacs plastique ne le sont pas."},
	}
	for i, n := range news {
		n.TenantID, n.Status, n.PublishAt = t.ID, content.StatusPublished, ago(2+5*i)
		if err := s.SaveNews(ctx, n, who, "published"); err != nil {
			return err
		}
	}
	draft := &content.News{TenantID: t.ID, Category: "culture", Title: "Programme de la saison culturelle", Body: "Brouillon en cours de rédaction."}
	if err := s.SaveNews(ctx, draft, who, "created"); err != nil {
		return err
	}
	events := []*content.Event{
		{Category: "marche", Title: "Marché hebdomadaire", Summary: "Producteurs locaux, fromages, fruits et légumes.", Place: "Place de la Mairie",
			Start: day(1, 8, 0), End: day(1, 12, 30), Recurrence: content.RepeatWeekly, Body: "Chaque semaine, une vingtaine d'exposants."},
		{Category: "culture", Title: "Concert de l'harmonie municipale", Summary: "Entrée libre, dans la limite des places.", Place: "Salle des fêtes",
			Address: "2 rue des Écoles", Start: day(9, 20, 30), End: day(9, 22, 30), Registration: true, Capacity: 120,
			Body: "Au programme : musiques de films et marches. **Inscription conseillée.**"},
		{Category: "famille", Title: "Atelier numérique", Summary: "Apprendre à faire ses démarches en ligne, avec un conseiller numérique.",
			Place: "Médiathèque", Start: day(3, 14, 0), End: day(3, 16, 0), Recurrence: content.RepeatWeekly, Registration: true,
			Capacity: 8, Body: "Chaque semaine, huit places : inscrivez-vous à la séance de votre choix."},
		{Category: "vie-municipale", Title: "Réunion publique sur le plan de circulation", Place: "Mairie, salle du conseil",
			Start: day(15, 18, 30), End: day(15, 20, 0), Body: "Présentation du projet et échanges avec les habitants."},
		{Category: "famille", Title: "Fête de l'été", Place: "Parc municipal", Start: startOfLocalDay(day(30, 0, 0), loc),
			End: startOfLocalDay(day(30, 0, 0), loc), AllDay: true, Body: "Jeux, pique-nique partagé et feu d'artifice."},
		{Category: "sport", Title: "Course des familles", Place: "Stade municipal", Start: day(-20, 9, 0), End: day(-20, 12, 0), Body: "Édition passée."},
	}
	for _, e := range events {
		e.TenantID, e.Status = t.ID, content.StatusPublished
		if err := s.SaveEvent(ctx, e, loc, who, "published"); err != nil {
			return err
		}
	}
	return nil
}

func startOfLocalDay(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc).UTC()
}
