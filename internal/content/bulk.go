package content

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Words of generated content: plausible French, so that search and
// stemming work on it as on real text.
var (
	bulkSubjects = []string{"Travaux", "Réunion publique", "Conseil municipal", "Fête de quartier", "Collecte solidaire",
		"Atelier numérique", "Marché de producteurs", "Exposition", "Concert", "Inscriptions scolaires", "Balade nature",
		"Permanence des élus", "Don du sang", "Cinéma en plein air", "Vide-greniers", "Tournoi sportif"}
	bulkPlaces = []string{"rue Victor-Hugo", "place de la Mairie", "avenue de la Gare", "quartier des Tilleuls",
		"salle des fêtes", "école Jules-Ferry", "parc municipal", "bibliothèque", "stade", "chemin du Moulin"}
	bulkWords = strings.Fields(`habitants commune mairie service horaires accueil inscription famille enfants école
		voirie chaussée trottoir circulation stationnement association bénévoles culture musique sport jeunesse aînés
		environnement déchets tri eau assainissement éclairage sécurité budget projet quartier réunion information
		animation programme gratuit ouvert samedi dimanche matin après-midi soirée printemps été automne hiver`)
)

func bulkText(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(bulkWords[r.IntN(len(bulkWords))])
		if i%12 == 11 {
			b.WriteString(".")
		}
	}
	return b.String()
}

// Generate writes news published over the past years and events spread
// over the past and coming year, with their search index, for load and
// scale tests. done is called after each item.
func (s *Store) Generate(ctx context.Context, tenantID string, loc *time.Location, news, events int, done func()) error {
	r := rand.New(rand.NewPCG(uint64(news), uint64(events)))
	now := time.Now().UTC().Truncate(time.Second)
	for i := 0; i < news; i++ {
		at := now.Add(-time.Duration(r.IntN(3*365*24)) * time.Hour)
		n := &News{TenantID: tenantID, Category: NewsCategories[r.IntN(len(NewsCategories))],
			Title:   fmt.Sprintf("%s %s (%d)", bulkSubjects[r.IntN(len(bulkSubjects))], bulkPlaces[r.IntN(len(bulkPlaces))], i+1),
			Summary: bulkText(r, 15), Body: bulkText(r, 120), Status: StatusPublished, PublishAt: &at}
		if err := s.SaveNews(ctx, n, "seed", "published"); err != nil {
			return err
		}
		done()
	}
	for i := 0; i < events; i++ {
		start := now.Add(time.Duration(r.IntN(2*365*24)-365*24) * time.Hour).Truncate(time.Hour)
		e := &Event{TenantID: tenantID, Category: EventCategories[r.IntN(len(EventCategories))],
			Title:   fmt.Sprintf("%s – %s (%d)", bulkSubjects[r.IntN(len(bulkSubjects))], bulkPlaces[r.IntN(len(bulkPlaces))], i+1),
			Summary: bulkText(r, 12), Body: bulkText(r, 60), Place: bulkPlaces[r.IntN(len(bulkPlaces))],
			Start: start, End: start.Add(2 * time.Hour), Status: StatusPublished}
		if err := s.SaveEvent(ctx, e, loc, "seed", "published"); err != nil {
			return err
		}
		done()
	}
	return nil
}
