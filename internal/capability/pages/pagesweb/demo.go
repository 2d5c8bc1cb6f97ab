package pagesweb

import (
	"context"

	"guichet/internal/capability/pages"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
)

// SeedDemo implements kernel.DemoContent: the practical pages of both
// demo collectivités; only the town has a swimming pool.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	for slug, t := range tenants {
		list := []*pages.Page{
			{Title: "Horaires et contacts de la mairie", Summary: "Accueil, état civil, urbanisme.", MenuOrder: 10,
				Body: "## Accueil\n\nDu lundi au vendredi, de 8 h 30 à 12 h et de 13 h 30 à 17 h.\n\n## État civil\n\nSur rendez-vous pour les cartes d'identité et passeports."},
			{Title: "Collecte des déchets", Summary: "Jours de ramassage et déchetterie.", MenuOrder: 20,
				Body: "Les ordures ménagères sont collectées le mardi, le tri sélectif le vendredi. La déchetterie est ouverte du mardi au samedi."},
			{Title: "Bibliothèque municipale", Summary: "Prêt de livres, jeux et liseuses.", MenuOrder: 30,
				Body: "La bibliothèque est ouverte le mercredi et le samedi. L'inscription est gratuite pour les habitants."},
		}
		if slug == demo.Town {
			list = append(list, &pages.Page{Title: "Piscine municipale", Summary: "Horaires d'été et tarifs.", MenuOrder: 40,
				Body: "Ouverte tous les jours en juillet et août, de 10 h à 19 h."})
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
