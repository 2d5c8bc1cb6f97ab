package participationweb

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/capability/participation"
	"guichet/internal/kernel/tenant"
)

// staffWriter stands, in demoMessage.who, for the mairie's service that
// answers in the town's discussions.
const staffWriter = -1

// demoMessage is a reply of the demo: who writes it (an index into
// townResidents, or staffWriter), when (hours after the opening) and what.
type demoMessage struct {
	who   int
	hours int
	text  string
}

// demoReaction is a resident's reaction to a message of a demo
// discussion (0 its opening, n its n-th reply).
type demoReaction struct {
	message, who int
	kind         string
}

// demoDiscussion is a discussion of the demo; event, when set, names the
// agenda's event it prepares.
type demoDiscussion struct {
	space, title, body string
	who, daysAgo       int
	event              string
	replies            []demoMessage
	reactions          []demoReaction
	followers          []int
}

// The residents by their index in townResidents.
const (
	claire = iota
	julien
	francoise
	nadia
	thomas
	sophie
	karim
	lucie
	paul
	emma
)

var townDiscussions = []demoDiscussion{
	{space: "quartier-des-tilleuls", who: francoise, daysAgo: 18,
		title: "Fête des voisins du 29 mai : qui s'occupe de quoi ?",
		body: "Bonjour à tous,\n\nComme chaque année, l'Amicale des Tilleuls organise la fête des voisins dans la cour du square. " +
			"Il nous faut des tables, des rallonges et quelques bras pour installer à partir de 17 h.\n\nDites ici ce que vous pouvez apporter !",
		replies: []demoMessage{
			{claire, 3, "Je peux prêter deux tables pliantes et faire un grand taboulé."},
			{nadia, 5, "Nous apportons la rallonge de 25 m et des guirlandes lumineuses. Mes enfants proposent de dessiner les affiches pour les halls."},
			{thomas, 26, "Je serai là dès 17 h pour installer. Il faudrait prévenir les gardiens pour l'accès à l'eau du local vélo."},
			{francoise, 28, "Merci @Thomas Girard, je m'en charge. @Nadia Benali, les affiches seraient parfaites : on les pose la semaine d'avant ?"},
			{karim, 50, "Je m'occupe de la musique, sans trop de volume promis. Qui a un barbecue électrique ?"},
		},
		reactions: []demoReaction{{0, claire, participation.ReactAgree}, {0, nadia, participation.ReactAgree},
			{2, francoise, participation.ReactThanks}, {3, francoise, participation.ReactThanks}, {5, sophie, participation.ReactIdea}},
		followers: []int{sophie, julien}},
	{space: "quartier-des-tilleuls", who: sophie, daysAgo: 5, event: "Concert de l'harmonie municipale",
		title: "On va ensemble au concert de l'harmonie ?",
		body: "L'harmonie municipale joue bientôt à la salle des fêtes, et l'inscription est conseillée. " +
			"Je propose qu'on y aille à plusieurs depuis le quartier : rendez-vous devant la boulangerie à 20 h, à pied.\n\n" +
			"Si des voisins âgés veulent venir mais ne peuvent pas marcher jusque-là, dites-le : on s'organise en voiture.",
		replies: []demoMessage{
			{julien, 2, "Bonne idée, je suis inscrit. Je peux prendre deux personnes en voiture."},
			{claire, 20, "Ma voisine du 12, Mme Roux, aimerait venir : je l'accompagne. Merci @Julien Petit pour la voiture !"},
			{lucie, 30, "Inscrite aussi. C'est le programme musiques de films, mes enfants sont ravis."},
		},
		reactions: []demoReaction{{0, julien, participation.ReactIdea}, {0, lucie, participation.ReactIdea},
			{1, claire, participation.ReactThanks}},
		followers: []int{claire, nadia}},
	{space: "ecole-jules-ferry", who: nadia, daysAgo: 10,
		title: "Covoiturage le matin depuis les Tilleuls",
		body: "Plusieurs familles du quartier des Tilleuls déposent leurs enfants à Jules-Ferry vers 8 h 20. " +
			"Et si on se relayait ? Un tableau des jours par famille suffirait.",
		replies: []demoMessage{
			{thomas, 4, "Partant pour les lundis et jeudis. Ma voiture a trois rehausseurs."},
			{sophie, 9, "Nous pouvons faire le mardi. Le mercredi matin, il n'y a pas classe, donc quatre jours à couvrir."},
			{paul, 30, "Et pourquoi pas un pédibus pour les beaux jours ? C'est 12 minutes à pied par le chemin du lavoir."},
			{nadia, 33, "J'aime bien l'idée du pédibus, @Paul Renaud. On commence par le covoiturage et on en reparle au conseil d'école ?"},
		},
		reactions: []demoReaction{{3, nadia, participation.ReactIdea}, {3, sophie, participation.ReactIdea},
			{3, claire, participation.ReactAgree}},
		followers: []int{claire}},
	{space: "ecole-jules-ferry", who: thomas, daysAgo: 25,
		title: "Menus de la cantine : plus de produits locaux ?",
		body: "Les menus du mois affichent beaucoup de plats tout prêts. La loi demande 50 % de produits durables et de qualité. " +
			"Où en est la cantine de Jules-Ferry ? Des parents seraient-ils partants pour en parler à la commission des menus ?",
		replies: []demoMessage{
			{claire, 6, "Je suis partante. Le pain vient déjà de la boulangerie de la place, c'est un début."},
			{karim, 20, "Mon fils dit que les légumes sont souvent froids. Est-ce que la cuisine est sur place ?"},
			{staffWriter, 48, "Bonjour, le service vie locale vous répond : les repas sont préparés par la cuisine centrale et livrés en liaison chaude. " +
				"La part de produits durables est de 38 % cette année ; l'objectif est de 50 % à la rentrée. La commission des menus se réunit " +
				"chaque trimestre et deux places y sont ouvertes aux parents : écrivez au service pour y participer."},
			{lucie, 52, "Merci pour la réponse précise. Je me porte volontaire pour la commission."},
			{nadia, 55, "Moi aussi, si la deuxième place est libre."},
		},
		reactions: []demoReaction{{3, thomas, participation.ReactThanks}, {3, claire, participation.ReactThanks},
			{3, lucie, participation.ReactThanks}, {0, sophie, participation.ReactAgree}},
		followers: []int{sophie}},
	{space: "jardins-partages", who: lucie, daysAgo: 7,
		title: "Bourse aux semis et aux plants samedi matin",
		body: "Les tomates et les courges ont trop bien levé dans ma serre : j'en ai une soixantaine à donner. " +
			"Je propose une bourse aux semis samedi de 10 h à midi, devant l'abri à outils. Chacun apporte ce qu'il a en trop.",
		replies: []demoMessage{
			{paul, 2, "J'aurai des plants de basilic et de poivrons doux."},
			{julien, 5, "Je n'ai rien à échanger cette fois, mais je viens avec des pots vides de l'an dernier pour ceux qui en manquent."},
			{emma, 26, "Bonjour, je viens d'emménager près de la gare et je découvre les jardins. Est-ce que je peux venir même sans parcelle ?"},
			{lucie, 27, "Bien sûr @Emma Lefebvre, bienvenue ! Les jardins sont ouverts à tous et il reste deux parcelles à partager."},
			{francoise, 30, "Je passerai avec des boutures de groseillier."},
		},
		reactions: []demoReaction{{0, paul, participation.ReactThanks}, {0, francoise, participation.ReactThanks},
			{4, emma, participation.ReactThanks}},
		followers: []int{emma, karim}},
	{space: "jardins-partages", who: paul, daysAgo: 30,
		title: "Le deuxième récupérateur d'eau de pluie est installé",
		body: "Le récupérateur de 1 000 litres financé par le budget participatif est branché sur la gouttière de l'abri. " +
			"Pensez à refermer le robinet après usage : il a fui tout un après-midi la semaine dernière.",
		replies: []demoMessage{
			{karim, 8, "Super. Est-ce qu'on pourrait ajouter un filtre contre les feuilles ? Le premier se bouche à l'automne."},
			{lucie, 10, "Il en reste un au local, je le pose ce week-end."},
		},
		reactions: []demoReaction{{0, lucie, participation.ReactThanks}, {0, karim, participation.ReactThanks}, {1, paul, participation.ReactIdea}}},
	{space: "se-deplacer", who: julien, daysAgo: 14,
		title: "Le carrefour de la rue Pasteur est dangereux à vélo",
		body: "En descendant la rue Pasteur vers la gare, la bande cyclable s'arrête juste avant le carrefour. " +
			"Les voitures qui tournent à droite coupent la route des vélos. Deux fois cette semaine, j'ai dû freiner fort.\n\n" +
			"Un sas vélo au feu et un marquage au sol changeraient beaucoup de choses.",
		replies: []demoMessage{
			{sophie, 3, "Même constat, avec un siège enfant à l'arrière c'est vraiment stressant."},
			{thomas, 7, "En voiture aussi on voit mal les vélos à cause des véhicules garés juste avant le feu."},
			{staffWriter, 46, "Bonjour, merci pour ces signalements précis. Le carrefour fait partie du plan de circulation présenté " +
				"en réunion publique ; un sas vélo et la suppression des deux places de stationnement avant le feu y sont étudiés. " +
				"Venez en parler à la réunion, vos remarques seront relevées."},
			{claire, 50, "Merci pour la réponse. J'y serai."},
			{nadia, 70, "Et la nuit, l'éclairage de la piste est faible entre la gare et le pont."},
			{karim, 75, "+1 pour le sas vélo. Mes enfants vont au collège à vélo par là."},
		},
		reactions: []demoReaction{{0, sophie, participation.ReactAgree}, {0, thomas, participation.ReactAgree},
			{0, karim, participation.ReactAgree}, {0, nadia, participation.ReactAgree}, {3, julien, participation.ReactThanks},
			{5, julien, participation.ReactIdea}},
		followers: []int{paul, lucie}},
	{space: "se-deplacer", who: karim, daysAgo: 3,
		title: "Horaires de la ligne 2 le dimanche",
		body: "Le dimanche, le premier bus de la ligne 2 passe à 9 h 40. Pour ceux qui travaillent à l'hôpital le matin, c'est trop tard. " +
			"D'autres personnes dans ce cas ?",
		replies: []demoMessage{
			{francoise, 5, "Ma fille est aide-soignante et prend sa voiture pour cette raison. Un bus vers 6 h 30 l'aiderait."},
			{paul, 9, "Les horaires sont fixés par l'intercommunalité : il faudrait leur écrire à plusieurs. Je veux bien aider à rédiger le courrier."},
		},
		reactions: []demoReaction{{0, francoise, participation.ReactAgree}, {2, karim, participation.ReactThanks}}},
}

// seedDiscussions adds the discussions of the demo: the town's, across
// its spaces, one preparing a meeting of the agenda, and one in the
// village.
func (c *Capability) seedDiscussions(ctx context.Context, d demoTown) error {
	staffAuthor, err := c.demoStaff(ctx, d.tenant, "vie-locale@montclair.localhost")
	if err != nil {
		return err
	}
	events, err := c.Module.upcomingEvents(ctx, d.tenant.ID)
	if err != nil {
		return err
	}
	writer := func(who int) (participation.Author, bool) {
		if who == staffWriter {
			return staffAuthor, staffAuthor.ID != ""
		}
		if who < len(d.residents) {
			return d.residents[who], true
		}
		return participation.Author{}, false
	}
	for _, dd := range townDiscussions {
		if dd.event != "" {
			for _, ev := range events {
				if ev.Title == dd.event {
					dd.event = ev.ID
				}
			}
		}
		if err := c.seedDiscussion(ctx, d.tenant, dd, writer, events); err != nil {
			return fmt.Errorf("discussion %q: %w", dd.title, err)
		}
	}
	if d.village == nil {
		return nil
	}
	resident, err := c.demoStaff(ctx, d.village, "habitante@sauvigny.localhost")
	if err != nil {
		return err
	}
	mairie, err := c.demoStaff(ctx, d.village, "mairie@sauvigny.localhost")
	if err != nil || resident.ID == "" || mairie.ID == "" {
		return err
	}
	resident.Staff = false
	village := demoDiscussion{space: "vie-du-village", who: 0, daysAgo: 9,
		title: "Des photos anciennes du lavoir ?",
		body: "Les travaux du lavoir sont à l'ordre du jour du prochain conseil. Avant qu'ils commencent, " +
			"qui aurait des photos ou des cartes postales anciennes du lavoir ? On pourrait en faire une petite exposition à la mairie.",
		replies: []demoMessage{
			{1, 20, "Très bonne idée. La mairie peut prêter les grilles d'exposition de la salle polyvalente, et numériser les photos " +
				"que vous déposerez au secrétariat, aux heures d'ouverture. Elles vous seront rendues le jour même."},
		},
		reactions: []demoReaction{{1, 0, participation.ReactThanks}}}
	villageWriter := func(who int) (participation.Author, bool) {
		if who == 1 {
			return mairie, true
		}
		return resident, true
	}
	return c.seedDiscussion(ctx, d.village, village, villageWriter, nil)
}

// daytime moves a demo message written at night to the next morning, as
// residents write: between 8 h and 22 h.
func daytime(at time.Time, loc *time.Location) time.Time {
	local := at.In(loc)
	switch h := local.Hour(); {
	case h < 8:
		return local.Add(time.Duration(8-h) * time.Hour).UTC()
	case h >= 22:
		return local.Add(time.Duration(32-h) * time.Hour).UTC()
	}
	return at
}

// demoStaff returns the account of email as an author writing for the
// mairie; a zero Author when the demo did not create it.
func (c *Capability) demoStaff(ctx context.Context, t *tenant.Tenant, email string) (participation.Author, error) {
	u, err := c.k.Accounts.ByEmail(ctx, t.ID, email)
	if err != nil {
		return participation.Author{}, nil
	}
	return participation.Author{ID: u.ID, Name: u.Name, Since: u.CreatedAt, Staff: true}, nil
}

// seedDiscussion writes one discussion through the store (so that the
// screen applies), then dates it and its replies back.
func (c *Capability) seedDiscussion(ctx context.Context, t *tenant.Tenant, dd demoDiscussion,
	writer func(int) (participation.Author, bool), events []upcomingEvent) error {
	sp, err := c.Store.SpaceBySlug(ctx, t.ID, dd.space)
	if err != nil {
		return err
	}
	opener, ok := writer(dd.who)
	if !ok {
		return nil
	}
	th := &participation.Thread{Kind: participation.Discussion, Title: dd.title}
	for _, ev := range events {
		if ev.ID == dd.event {
			th.EventID, th.EventTitle, th.EventPath, th.EventStarts = ev.ID, ev.Title, ev.Path, ev.Starts
		}
	}
	first, err := c.Store.StartThread(ctx, sp, th, opener, dd.body)
	if err != nil {
		return err
	}
	day := c.k.Now().In(t.Location()).AddDate(0, 0, -dd.daysAgo)
	start := time.Date(day.Year(), day.Month(), day.Day(), 9+dd.daysAgo%10, 7*dd.daysAgo%60, 0, 0, t.Location()).UTC()
	messages := []*participation.Message{first}
	dates := []time.Time{start}
	last := start
	for _, r := range dd.replies {
		a, ok := writer(r.who)
		if !ok {
			continue
		}
		m, err := c.Store.Reply(ctx, sp, th, a, "", r.text)
		if err != nil {
			return fmt.Errorf("reply %q: %w", r.text, err)
		}
		at := daytime(start.Add(time.Duration(r.hours)*time.Hour+time.Duration(len(messages)*7)*time.Minute), t.Location())
		if prev := dates[len(dates)-1]; !at.After(prev) {
			at = prev.Add(25 * time.Minute)
		}
		messages, dates = append(messages, m), append(dates, at)
		if m.State == participation.Visible && at.After(last) {
			last = at
		}
	}
	db := c.Store.DB()
	for i, m := range messages {
		if _, err := db.Exec(ctx, `UPDATE participation_messages SET created_at = ? WHERE tenant_id = ? AND id = ?`,
			dates[i], t.ID, m.ID); err != nil {
			return err
		}
	}
	if _, err := db.Exec(ctx, `UPDATE participation_threads SET created_at = ?, last_activity_at = ? WHERE tenant_id = ? AND id = ?`,
		start, last, t.ID, th.ID); err != nil {
		return err
	}
	if _, err := db.Exec(ctx, `UPDATE participation_follows SET since = ? WHERE tenant_id = ? AND thread_id = ?`,
		start, t.ID, th.ID); err != nil {
		return err
	}
	for _, r := range dd.reactions {
		a, ok := writer(r.who)
		if !ok || r.message >= len(messages) || messages[r.message].State != participation.Visible {
			continue
		}
		if _, err := c.Store.React(ctx, t.ID, messages[r.message].ID, a.ID, r.kind); err != nil {
			return err
		}
	}
	for _, who := range dd.followers {
		if a, ok := writer(who); ok {
			if err := c.Store.Follow(ctx, t.ID, th.ID, a.ID); err != nil {
				return err
			}
		}
	}
	return nil
}
