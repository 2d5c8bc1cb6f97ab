package eventsweb

import (
	"context"
	"guichet/internal/capability/events"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
	"time"
)

// SeedDemo implements kernel.DemoContent: the agenda of both demo
// collectivités: a weekly market, a concert and a weekly workshop with
// registrations, a public meeting, an all-day fête and a past race.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	for _, t := range tenants {
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
