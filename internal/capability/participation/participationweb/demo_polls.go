package participationweb

import (
	"context"
	"fmt"
	"slices"
	"time"

	"guichet/internal/capability/participation"
)

// demoVoters is how many residents, beyond those who write, answer the
// town's consultations.
const demoVoters = 32

// demoAnswer picks a ballot's answers for the n-th voter.
type demoAnswer func(n int, qs []*participation.Question) participation.Ballot

// seedPolls adds the polls of the demo: in the town, the park's
// consultation (open), a neighbourhood's one on parking (open to the
// Tilleuls' members) and the library's Saturday hours (closed a week
// ago, its results public); in the village, one open poll.
func (c *Capability) seedPolls(ctx context.Context, d demoTown) error {
	now := c.k.Now().UTC()
	// Round hours in the town's zone: days from today at hour.
	loc := d.tenant.Location()
	local := now.In(loc)
	at := func(days, hour int) time.Time {
		return time.Date(local.Year(), local.Month(), local.Day()+days, hour, 0, 0, 0, loc).UTC()
	}
	voters, err := c.demoVoters(ctx, d)
	if err != nil {
		return err
	}
	park := &participation.Poll{TenantID: d.tenant.ID, Slug: "parc-des-glycines", Title: "Aménagement du parc des Glycines",
		Description: "Le parc des Glycines, entre la rue des Glycines et le groupe scolaire Jules-Ferry, sera réaménagé en 2027. " +
			"Avant que le bureau d'études dessine le projet, la municipalité veut connaître vos attentes.\n\n" +
			"Les résultats seront présentés en réunion publique au printemps et publiés sur cette page.",
		Audience: participation.AudienceAll, Published: true, OpensAt: at(-10, 9), ClosesAt: at(18, 18),
		Questions: []*participation.Question{
			{Kind: participation.Multiple, Label: "Quels équipements souhaitez-vous dans le parc\u00a0?", Required: true,
				Choices: []string{"Jeux pour les petits", "Agrès de sport en accès libre", "Tables de pique-nique",
					"Fontaine à boire", "Toilettes publiques", "Boîte à livres"}},
			{Kind: participation.Ranking, Label: "Classez ces priorités, de la plus importante à la moins importante", Required: true,
				Choices: []string{"Plus d'ombre et d'arbres", "Un meilleur éclairage le soir", "Des bancs supplémentaires",
					"Des allées praticables en poussette et en fauteuil roulant"}},
			{Kind: participation.Open, Label: "Une autre idée pour le parc\u00a0?"},
		}}
	parkIdeas := []string{
		"Un coin à l'ombre pour les assistantes maternelles, avec des bancs près des jeux.",
		"Laisser une partie de la pelouse en prairie fleurie pour les insectes.",
		"Des arceaux à vélos à l'entrée côté école.",
		"Fermer le parc la nuit, il y a du bruit l'été après minuit.",
		"Un composteur partagé pour les habitants du quartier.",
		"Garder les grands tilleuls, ils font l'âme du parc.",
	}
	// The writing residents but the demo's resident (who can still try
	// the form), and voters, 25 ballots in all.
	var parkVoters []string
	for _, r := range d.residents[1:] {
		parkVoters = append(parkVoters, r.ID)
	}
	parkVoters = append(parkVoters, voters[:25-len(parkVoters)]...)
	if err := c.seedPoll(ctx, park, parkVoters, func(n int, qs []*participation.Question) participation.Ballot {
		equipment := [][]int{{0, 2}, {1}, {0, 3, 4}, {2, 3}, {0, 5}, {1, 3}, {4}, {0, 2, 3}}[n%8]
		ranking := [][]int{{0, 3, 1, 2}, {1, 0, 3, 2}, {0, 1, 2, 3}, {3, 0, 1, 2}, {0, 2, 3, 1}}[n%5]
		b := participation.Ballot{qs[0].ID: {Choices: equipment}, qs[1].ID: {Choices: ranking}}
		if n%4 == 1 {
			b[qs[2].ID] = participation.Answer{Text: parkIdeas[(n/4)%len(parkIdeas)]}
		}
		return b
	}); err != nil {
		return err
	}

	if err := c.seedParking(ctx, d, at(-3, 9), at(25, 18)); err != nil {
		return err
	}

	library := &participation.Poll{TenantID: d.tenant.ID, Slug: "mediatheque-le-samedi",
		Title: "Horaires d'ouverture de la médiathèque le samedi",
		Description: "La médiathèque ouvre aujourd'hui le samedi de 9 h à 12 h. Avec l'arrivée d'une nouvelle " +
			"bibliothécaire, elle peut ouvrir autrement, sans allonger la semaine de l'équipe. Quelle formule vous conviendrait le mieux\u00a0?",
		Audience: participation.AudienceAll, Published: true, OpensAt: at(-37, 9), ClosesAt: now.Add(time.Hour),
		Questions: []*participation.Question{
			{Kind: participation.Single, Label: "Quel horaire préférez-vous le samedi\u00a0?", Required: true,
				Choices: []string{"De 9 h à 12 h, comme aujourd'hui", "De 10 h à 13 h", "De 10 h à 17 h en continu", "De 14 h à 18 h"}},
			{Kind: participation.Open, Label: "Qu'aimeriez-vous trouver à la médiathèque le samedi\u00a0?"},
		}}
	libraryIdeas := []string{
		"Des lectures de contes pour les enfants en fin de matinée.",
		"Un atelier d'aide aux démarches en ligne, une fois par mois.",
		"Pouvoir rendre les livres à toute heure grâce à une boîte de retour.",
		"Des jeux de société à emprunter pour le week-end.",
		"Un club de lecture pour les adolescents.",
		"Plus de places assises pour travailler au calme.",
		"Des concerts ou des rencontres avec des auteurs l'après-midi.",
		"Je travaille le matin\u00a0: l'après-midi me permettrait enfin de venir.",
		"Une permanence pour apprendre à se servir d'une liseuse.",
		"Davantage de bandes dessinées et de mangas.",
		"Le samedi matin, c'est le marché\u00a0: ouvrir plus tard arrangerait les familles.",
		"Des ateliers de réparation de vélos ou de petits appareils, avec les bénévoles du quartier.",
		"Une grainothèque pour échanger des semences.",
		"Laisser le wifi accessible sur la terrasse.",
	}
	var libraryVoters []string
	for _, r := range d.residents {
		libraryVoters = append(libraryVoters, r.ID)
	}
	libraryVoters = append(libraryVoters, voters[:40-len(libraryVoters)]...)
	if err := c.seedPoll(ctx, library, libraryVoters, func(n int, qs []*participation.Question) participation.Ballot {
		choice := []int{2, 1, 2, 0, 2, 3, 1, 2, 0, 2, 1, 3}[n%12]
		b := participation.Ballot{qs[0].ID: {Choices: []int{choice}}}
		if n%3 == 0 {
			b[qs[1].ID] = participation.Answer{Text: libraryIdeas[(n/3)%len(libraryIdeas)]}
		}
		return b
	}); err != nil {
		return err
	}
	if err := closePoll(ctx, c, library, at(-7, 18)); err != nil {
		return err
	}

	if d.village == nil {
		return nil
	}
	hall := &participation.Poll{TenantID: d.village.ID, Slug: "nom-de-la-salle-polyvalente",
		Title:       "Quel nom pour la salle polyvalente rénovée\u00a0?",
		Description: "Les travaux de la salle polyvalente s'achèvent cet hiver. Le conseil municipal propose trois noms : choisissez le vôtre.",
		Audience:    participation.AudienceAll, Published: true, OpensAt: at(-2, 9), ClosesAt: at(26, 18),
		Questions: []*participation.Question{{Kind: participation.Single, Label: "Votre préférence", Required: true,
			Choices: []string{"Salle des Tilleuls", "Salle du Lavoir", "Espace du Moulin"}}}}
	return c.Store.CreatePoll(ctx, hall)
}

// seedParking adds the Tilleuls' parking poll, answered by the members
// of the neighbourhood but the demo's resident.
func (c *Capability) seedParking(ctx context.Context, d demoTown, opens, closes time.Time) error {
	communities, err := c.k.Communities(ctx, d.tenant.ID)
	if err != nil {
		return err
	}
	var community, name string
	for _, cm := range communities {
		if cm.Slug == "quartier-des-tilleuls" {
			community, name = cm.ID, cm.Name
		}
	}
	if community == "" {
		return nil // the communities' demo is not there
	}
	parking := &participation.Poll{TenantID: d.tenant.ID, Slug: "stationnement-rue-des-glycines",
		Title: "Stationnement rue des Glycines\u00a0: quelle formule\u00a0?",
		Description: "Les riverains signalent des voitures ventouses et des difficultés à se garer le soir. " +
			"Avant de prendre un arrêté, la mairie consulte les membres du quartier des Tilleuls.",
		Audience: participation.AudienceNeighbourhood, CommunityID: community, CommunityName: name, Published: true,
		OpensAt: opens, ClosesAt: closes,
		Questions: []*participation.Question{{Kind: participation.Single, Required: true,
			Label: "Quelle formule préférez-vous pour la rue des Glycines\u00a0?",
			Choices: []string{"Stationnement alterné par quinzaine", "Zone bleue limitée à 2 h en journée",
				"Places réservées aux riverains la nuit", "Pas de changement"}}}}
	var members []string
	for _, r := range d.residents[1:] {
		ids, err := c.k.MemberOf(ctx, d.tenant.ID, r.ID)
		if err != nil {
			return err
		}
		if slices.Contains(ids, community) {
			members = append(members, r.ID)
		}
	}
	return c.seedPoll(ctx, parking, members, func(n int, qs []*participation.Question) participation.Ballot {
		return participation.Ballot{qs[0].ID: {Choices: []int{[]int{1, 2, 1, 0, 3}[n%5]}}}
	})
}

// seedPoll creates p and casts a ballot for each of voters.
func (c *Capability) seedPoll(ctx context.Context, p *participation.Poll, voters []string, answer demoAnswer) error {
	if err := c.Store.CreatePoll(ctx, p); err != nil {
		return fmt.Errorf("poll %s: %w", p.Slug, err)
	}
	for n, id := range voters {
		if err := c.Store.Cast(ctx, p, id, answer(n, p.Questions)); err != nil {
			return fmt.Errorf("poll %s, ballot %d: %w", p.Slug, n, err)
		}
	}
	return nil
}

// demoVoters finds or creates the town's residents who only answer
// consultations.
func (c *Capability) demoVoters(ctx context.Context, d demoTown) ([]string, error) {
	t := d.tenant
	ids := make([]string, demoVoters)
	for i := range ids {
		email := fmt.Sprintf("votant%02d@courriel.localhost", i+1)
		u, err := c.k.Accounts.ByEmail(ctx, t.ID, email)
		if err != nil {
			if u, err = c.k.Accounts.CreateVerified(ctx, t.ID, email, fmt.Sprintf("Habitant n°\u00a0%d", i+1)); err != nil {
				return nil, fmt.Errorf("voter %s: %w", email, err)
			}
		}
		ids[i] = u.ID
	}
	return ids, nil
}
