package pagesweb

import (
	"context"

	"guichet/internal/capability/pages"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
)

// SeedDemo implements kernel.DemoContent: the practical pages of both
// demo collectivités, each with its English translation and its
// easy-to-read (FALC) version; only the town has a swimming pool.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	for slug, t := range tenants {
		list := []*pages.Page{
			{Title: "Horaires et contacts de la mairie", Summary: "Accueil, état civil, urbanisme.", MenuOrder: 10,
				Body: "## Accueil\n\nDu lundi au vendredi, de 8 h 30 à 12 h et de 13 h 30 à 17 h.\n\n## État civil\n\nSur rendez-vous pour les cartes d'identité et passeports.",
				EasyRead: "La mairie est ouverte du lundi au vendredi.\n\n" +
					"Le matin, la mairie est ouverte de 8 heures 30 à midi.\n\n" +
					"L'après-midi, la mairie est ouverte de 13 heures 30 à 17 heures.\n\n" +
					"Vous voulez une carte d'identité ou un passeport\u00a0?\n\n" +
					"Vous devez d'abord prendre un rendez-vous.",
				TitleEN: "Town hall opening hours and contacts",
				BodyEN:  "## Reception\n\nMonday to Friday, from 8:30 am to 12 noon and from 1:30 pm to 5 pm.\n\n## Civil status\n\nIdentity cards and passports by appointment only."},
			{Title: "Collecte des déchets", Summary: "Jours de ramassage et déchetterie.", MenuOrder: 20,
				Body: "Les ordures ménagères sont collectées le mardi, le tri sélectif le vendredi. La déchetterie est ouverte du mardi au samedi.",
				EasyRead: "Un camion passe dans votre rue pour prendre les poubelles.\n\n" +
					"Le mardi, le camion prend la poubelle des déchets de tous les jours.\n\n" +
					"Le vendredi, le camion prend la poubelle du tri.\n\n" +
					"Dans la poubelle du tri, vous mettez les emballages et les papiers.\n\n" +
					"Vous avez un gros objet à jeter\u00a0?\n\n" +
					"Apportez-le à la déchetterie.\n\n" +
					"La déchetterie est ouverte du mardi au samedi.",
				TitleEN: "Waste collection",
				BodyEN:  "Household waste is collected on Tuesdays and recycling on Fridays. The recycling centre is open from Tuesday to Saturday."},
			{Title: "Bibliothèque municipale", Summary: "Prêt de livres, jeux et liseuses.", MenuOrder: 30,
				Body: "La bibliothèque est ouverte le mercredi et le samedi. L'inscription est gratuite pour les habitants.",
				EasyRead: "À la bibliothèque, vous pouvez emprunter des livres et des jeux.\n\n" +
					"La bibliothèque est ouverte le mercredi et le samedi.\n\n" +
					"Pour emprunter, vous devez vous inscrire.\n\n" +
					"L'inscription est gratuite pour les habitants.",
				TitleEN: "Municipal library",
				BodyEN:  "The library is open on Wednesdays and Saturdays. Membership is free for residents."},
		}
		if slug == demo.Town {
			list = append(list, &pages.Page{Title: "Piscine municipale", Summary: "Horaires d'été et tarifs.", MenuOrder: 40,
				Body: "Ouverte tous les jours en juillet et août, de 10 h à 19 h.",
				EasyRead: "La piscine est ouverte en juillet et en août.\n\n" +
					"Elle est ouverte tous les jours.\n\n" +
					"Elle ouvre à 10 heures.\n\n" +
					"Elle ferme à 19 heures.",
				TitleEN: "Municipal swimming pool",
				BodyEN:  "Open every day in July and August, from 10 am to 7 pm."})
		}
		for _, p := range list {
			p.TenantID, p.Status = t.ID, publishing.StatusPublished
			if err := c.Store.Save(ctx, p, "Service communication", "published"); err != nil {
				return err
			}
		}
	}
	return nil
}
