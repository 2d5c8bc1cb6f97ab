package eventsweb

import (
	"context"
	"guichet/internal/capability/events"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
	"time"
)

// SeedDemo implements kernel.DemoContent: the agenda of both demo
// collectivités. The town: a weekly market, a concert and a weekly
// workshop with registrations, a public meeting, an all-day fête and a
// past race. The village has its own, a small commune's: a monthly
// producers' market, the elders' meal and a composting workshop with
// registrations, a council meeting, its village fête and a past walk.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	for slug, t := range tenants {
		loc, who := t.Location(), "Service communication"
		now := c.k.Now().In(loc)
		day := func(d, h, m int) time.Time {
			return time.Date(now.Year(), now.Month(), now.Day()+d, h, m, 0, 0, loc).UTC()
		}
		list := []*events.Event{
			{Category: "marche", Title: "Marché hebdomadaire", Summary: "Producteurs locaux, fromages, fruits et légumes.", Place: "Place de la Mairie",
				Start: day(1, 8, 0), End: day(1, 12, 30), Recurrence: events.RepeatWeekly, Body: "Chaque semaine, une vingtaine d'exposants."},
			{Category: "culture", Title: "Concert de l'harmonie municipale", Summary: "Entrée libre, dans la limite des places.", Place: "Salle des fêtes",
				Address: "2 rue des Écoles", Start: day(9, 20, 30), End: day(9, 22, 30), Registration: true, Capacity: 120,
				Body: "Au programme : musiques de films et marches. **Inscription conseillée.**"},
			{Category: "famille", Title: "Atelier numérique", Summary: "Apprendre à faire ses démarches en ligne, avec un conseiller numérique.",
				Place: "Médiathèque", Start: day(3, 14, 0), End: day(3, 16, 0), Recurrence: events.RepeatWeekly, Registration: true,
				Capacity: 8, Body: "Chaque semaine, huit places : inscrivez-vous à la séance de votre choix."},
			{Category: "vie-municipale", Title: "Réunion publique sur le plan de circulation", Place: "Mairie, salle du conseil",
				Start: day(15, 18, 30), End: day(15, 20, 0), Body: "Présentation du projet et échanges avec les habitants."},
			{Category: "famille", Title: "Fête de l'été", Place: "Parc municipal", Start: startOfLocalDay(day(30, 0, 0), loc),
				End: startOfLocalDay(day(30, 0, 0), loc), AllDay: true, Body: "Jeux, pique-nique partagé et feu d'artifice."},
			{Category: "sport", Title: "Course des familles", Place: "Stade municipal", Start: day(-20, 9, 0), End: day(-20, 12, 0), Body: "Édition passée."},
		}
		if slug != demo.Town {
			list = []*events.Event{
				{Category: "marche", Title: "Marché des producteurs", Summary: "Miel, volailles, pain au levain et légumes de saison.",
					Place: "Place de l'Église", Start: day(2, 9, 0), End: day(2, 12, 0), Recurrence: events.RepeatMonthly,
					Body: "Le premier rendez-vous du mois pour les producteurs des Granges et des environs."},
				{Category: "famille", Title: "Repas des aînés", Summary: "Offert par la commune aux habitants de 70 ans et plus.",
					Place: "Salle polyvalente", Start: day(12, 12, 0), End: day(12, 16, 0), Registration: true, Capacity: 60,
					Body: "Inscription en mairie ou en ligne avant le jeudi précédent. **Transport possible sur demande.**"},
				{Category: "famille", Title: "Atelier compostage", Summary: "Monter et entretenir un composteur, avec le syndicat des déchets.",
					Place: "Jardin partagé, chemin des Granges", Start: day(5, 10, 0), End: day(5, 11, 30), Registration: true,
					Capacity: 12, Body: "Un composteur offert par foyer inscrit."},
				{Category: "vie-municipale", Title: "Séance du conseil municipal", Place: "Mairie", Start: day(8, 20, 0), End: day(8, 22, 0),
					Body: "Séance publique : budget de l'eau, travaux du lavoir, chemins ruraux."},
				{Category: "famille", Title: "Fête du village", Place: "Pré communal", Start: startOfLocalDay(day(40, 0, 0), loc),
					End: startOfLocalDay(day(40, 0, 0), loc), AllDay: true, Body: "Vide-greniers le matin, concours de pétanque l'après-midi, bal le soir."},
				{Category: "sport", Title: "Randonnée du Moulin", Place: "Départ devant la mairie", Start: day(-12, 9, 0), End: day(-12, 12, 0),
					Body: "Édition passée : 11 km le long de la rivière."},
			}
		}
		for _, e := range list {
			e.TenantID, e.Status = t.ID, publishing.StatusPublished
			if err := c.Store.Save(ctx, e, loc, who, "published"); err != nil {
				return err
			}
		}
	}
	return nil
}

func startOfLocalDay(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc).UTC()
}
