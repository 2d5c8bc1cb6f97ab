package participationweb

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/capability/participation"
)

// demoArgument is an argument of the demo: by the resident at index who
// (in townResidents' order), supported by the first supports other
// residents, written days ago.
type demoArgument struct {
	who, supports int
	side, body    string
	days          float64
}

// demoDebate is a debate of the demo, opened days ago in space; a
// summary closes it.
type demoDebate struct {
	space, title, context string
	days                  float64
	arguments             []demoArgument
	summary               string
}

var demoDebates = []demoDebate{
	{space: "debats-de-la-commune", days: 15,
		title: "Faut-il rendre la rue du Marché piétonne le samedi ?",
		context: "Le samedi matin, la rue du Marché accueille le marché de plein air et la plupart des clients des " +
			"commerces du centre. La municipalité étudie sa fermeture aux voitures le samedi, de 7 h à 19 h, " +
			"entre la place de l'Église et le carrefour de la Poste, avec une livraison possible jusqu'à 10 h.\n\n" +
			"Le parking de la Halle (120 places) resterait ouvert, et une navette gratuite relierait le parking " +
			"du stade au centre. Le conseil municipal en débattra au printemps : donnez vos arguments, pour ou contre.",
		arguments: []demoArgument{
			{who: 0, supports: 7, side: participation.For, days: 14,
				body: "Le samedi, on se faufile entre les voitures avec la poussette et le panier. Une rue sans voitures, " +
					"c'est un marché où l'on flâne et où les enfants ne risquent rien."},
			{who: 1, supports: 6, side: participation.Against, days: 13.5,
				body: "Les personnes âgées et celles qui ont du mal à marcher viennent au marché en voiture et se garent " +
					"au plus près. Le parking de la Halle est souvent plein dès 9 h : elles renonceront à venir."},
			{who: 3, supports: 4, side: participation.For, days: 12,
				body: "Les villes voisines qui l'ont fait ont vu les terrasses se remplir et les commerces tenir bon. " +
					"Les clients à pied restent plus longtemps et s'arrêtent dans plus de boutiques."},
			{who: 4, supports: 5, side: participation.Against, days: 11,
				body: "Je tiens un commerce rue du Marché : une bonne part de mes clients du samedi passent en voiture, " +
					"achètent et repartent. Sans stationnement devant, ce sont des ventes perdues."},
			{who: 5, supports: 3, side: participation.For, days: 10,
				body: "Moins de bruit et moins de gaz d'échappement pour ceux qui habitent la rue, ne serait-ce qu'un jour " +
					"par semaine. Les riverains le demandent depuis longtemps."},
			{who: 6, supports: 2, side: participation.Against, days: 8.5,
				body: "Les voitures ne disparaîtront pas : elles iront tourner dans les rues voisines, qui sont étroites " +
					"et où les enfants vont à l'école de musique le samedi matin."},
			{who: 7, supports: 2, side: participation.For, days: 7,
				body: "Avec la navette depuis le parking du stade, même ceux qui viennent des hameaux pourront venir " +
					"sans chercher de place. C'est l'occasion de l'essayer sur quelques mois."},
			{who: 8, supports: 1, side: participation.Against, days: 6,
				body: "Avant de fermer la rue, il faudrait des places réservées aux personnes handicapées au bout de la " +
					"rue et un vrai service de livraison des courses à domicile."},
			{who: 2, supports: 1, side: participation.For, days: 4.5,
				body: "L'association des commerçants pourrait animer la rue : musique, jeux pour les enfants, stands " +
					"des associations. Une rue piétonne attire du monde."},
			{who: 4, supports: 0, side: participation.Against, days: 3,
				body: "Les livraisons jusqu'à 10 h ne suffisent pas : le boulanger et le primeur sont réapprovisionnés " +
					"en fin de matinée."},
			{who: 0, supports: 0, side: participation.For, days: 1.5,
				body: "On pourrait commencer par un essai de trois mois, puis faire le bilan avec les commerçants et les " +
					"riverains avant de décider."},
			// The new account's argument, held for a moderator.
			{who: 9, side: participation.Against, days: 0.2,
				body: "Le samedi, je livre les commandes de ma mère, qui habite rue du Marché : comment ferai-je si la rue " +
					"est fermée ?"},
		}},
	{space: "debats-de-la-commune", days: 120,
		title: "Faut-il éteindre l'éclairage public de 23 h à 5 h ?",
		context: "L'éclairage public coûte à la commune environ 180 000 € par an. Plusieurs communes du département " +
			"éteignent leurs lampadaires au cœur de la nuit. La municipalité a mis la question en débat avant le " +
			"vote du budget.",
		arguments: []demoArgument{
			{who: 2, supports: 6, side: participation.For, days: 118,
				body: "Près de la moitié de la facture d'éclairage économisée chaque année : c'est de quoi financer la " +
					"rénovation des écoles."},
			{who: 1, supports: 5, side: participation.Against, days: 117,
				body: "Je rentre du travail à minuit et demi à pied depuis la gare. Dans le noir, je ne me sentirai pas " +
					"en sécurité."},
			{who: 7, supports: 4, side: participation.For, days: 115,
				body: "Les oiseaux et les chauves-souris en profitent, et l'on revoit les étoiles depuis son jardin."},
			{who: 6, supports: 3, side: participation.Against, days: 113,
				body: "Les carrefours dangereux et les passages piétons de l'avenue de la Gare doivent rester éclairés " +
					"toute la nuit."},
			{who: 5, supports: 1, side: participation.For, days: 110,
				body: "Les communes qui ont éteint n'ont pas vu plus de cambriolages, selon la gendarmerie."},
		},
		summary: "Le débat a réuni une trentaine de contributions et de soutiens. Les arguments pour l'extinction portent " +
			"sur les économies (près de la moitié de la facture d'éclairage) et sur la biodiversité ; les arguments " +
			"contre, sur le sentiment de sécurité des personnes qui rentrent tard à pied et sur les carrefours " +
			"dangereux.\n\n" +
			"Le conseil municipal du 12 mars a décidé d'éteindre l'éclairage de 23 h à 5 h dans les quartiers " +
			"résidentiels, à titre d'essai pour un an, en gardant éclairés toute la nuit l'avenue de la Gare, le " +
			"chemin de la gare au centre et les passages piétons des grands carrefours. Un bilan sera présenté au " +
			"conseil à la fin de l'essai."},
	{space: "se-deplacer", days: 9,
		title: "Une zone 30 dans tout le centre-ville ?",
		context: "La municipalité envisage de limiter la vitesse à 30 km/h dans tout le centre-ville, à l'intérieur " +
			"des boulevards, et de garder 50 km/h sur les boulevards eux-mêmes. Qu'en pensez-vous ?",
		arguments: []demoArgument{
			{who: 3, supports: 4, side: participation.For, days: 8,
				body: "À 30 km/h, un piéton renversé survit le plus souvent ; à 50 km/h, rarement. Les abords des écoles " +
					"sont tous dans le centre."},
			{who: 8, supports: 2, side: participation.Against, days: 7,
				body: "Aux heures de pointe on roule déjà à moins de 30 : le panneau ne changera rien, sauf des amendes " +
					"la nuit sur des rues vides."},
			{who: 5, supports: 2, side: participation.For, days: 5,
				body: "À vélo, on se sent enfin à sa place quand les voitures roulent à la même allure."},
			{who: 1, supports: 1, side: participation.Against, days: 2,
				body: "Mieux vaudrait des ralentisseurs devant les écoles et des contrôles là où l'on roule trop vite."},
		}},
}

// seedDebates adds the debates of the demo: an open one on the rue du
// Marché with a new account's argument held for the moderators, a
// closed one with its summary, and an open one on a zone 30.
func (c *Capability) seedDebates(ctx context.Context, d demoTown) error {
	t := d.tenant
	now := c.k.Now().UTC()
	ago := func(days float64) time.Time { return now.Add(-time.Duration(days * float64(24*time.Hour))) }
	mod, err := c.k.Accounts.ByEmail(ctx, t.ID, "moderation@montclair.localhost")
	if err != nil {
		return fmt.Errorf("the demo's moderator: %w", err)
	}
	mairie := participation.Author{Staff: true, Name: "Mairie de Montclair"}
	for _, dd := range demoDebates {
		sp, err := c.Store.SpaceBySlug(ctx, t.ID, dd.space)
		if err != nil {
			return fmt.Errorf("debate space %s: %w", dd.space, err)
		}
		th := &participation.Thread{Kind: participation.Debate, Title: dd.title}
		if _, err := c.Store.StartThread(ctx, sp, th, mairie, dd.context); err != nil {
			return fmt.Errorf("debate %q: %w", dd.title, err)
		}
		last := ago(dd.days)
		if _, err := c.k.DB.Exec(ctx, `UPDATE participation_messages SET created_at = ? WHERE tenant_id = ? AND thread_id = ?`,
			last, t.ID, th.ID); err != nil {
			return err
		}
		for _, da := range dd.arguments {
			author := d.residents[da.who]
			m, err := c.Store.Reply(ctx, sp, th, author, da.side, da.body)
			if err != nil {
				return fmt.Errorf("argument of %s: %w", author.Name, err)
			}
			// Dated as the demo says, which keeps the spam screen's flood
			// count low for the next ones.
			at := ago(da.days)
			if _, err := c.k.DB.Exec(ctx, `UPDATE participation_messages SET created_at = ? WHERE tenant_id = ? AND id = ?`,
				at, t.ID, m.ID); err != nil {
				return err
			}
			if m.State == participation.Visible {
				last = at
			}
			given := 0
			for i := 0; given < da.supports && i < len(d.residents)-1; i++ {
				if i == da.who {
					continue
				}
				if _, err := c.Store.Support(ctx, t.ID, m.ID, d.residents[i].ID, true); err != nil {
					return fmt.Errorf("support of %s: %w", d.residents[i].Name, err)
				}
				given++
			}
		}
		if dd.summary != "" {
			if err := c.Store.Close(ctx, t.ID, th.ID, dd.summary, mod.ID); err != nil {
				return fmt.Errorf("summary of %q: %w", dd.title, err)
			}
			last = last.Add(10 * 24 * time.Hour)
			if _, err := c.k.DB.Exec(ctx, `UPDATE participation_threads SET closed_at = ? WHERE tenant_id = ? AND id = ?`,
				last, t.ID, th.ID); err != nil {
				return err
			}
		}
		if _, err := c.k.DB.Exec(ctx, `UPDATE participation_threads SET created_at = ?, last_activity_at = ?
			WHERE tenant_id = ? AND id = ?`, ago(dd.days), last, t.ID, th.ID); err != nil {
			return err
		}
	}
	return nil
}
