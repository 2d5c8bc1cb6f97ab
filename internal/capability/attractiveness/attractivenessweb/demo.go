package attractivenessweb

import (
	"context"

	"guichet/internal/capability/attractiveness"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

// DemoPremise is the title of the town's first demo premise, which the
// isolation rows look for.
const DemoPremise = "Local commercial, 85 m², 12 rue des Halles"

// SeedDemo implements kernel.DemoContent: for the town, five premises and
// plots (one withdrawn), four aids and the economic service's contacts;
// for the village, one plot.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	if town, ok := tenants[demo.Town]; ok {
		if err := c.seedTown(ctx, town); err != nil {
			return err
		}
	}
	if village, ok := tenants[demo.Village]; ok {
		p := &attractiveness.Premise{TenantID: village.ID, Title: "Terrain à bâtir, 1 200 m², chemin des Granges",
			Kind: attractiveness.Land, Address: "Chemin des Granges, 21990 Sauvigny-le-Haut", Surface: 1200,
			Deal: attractiveness.Sale, PriceCents: 2800, Unit: attractiveness.PerM2, Tax: attractiveness.WithTax,
			Description: "Terrain communal viabilisé (eau, électricité, assainissement collectif) en bordure du village, " +
				"propice à un atelier d'artisan avec logement.\n\nLe conseil municipal examine chaque projet d'installation.",
			ContactName: "Secrétariat de mairie", ContactEmail: "mairie@sauvigny.localhost", ContactPhone: "03 80 12 34 56", Published: true}
		if err := c.Store.AddPremise(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

func (c *Capability) seedTown(ctx context.Context, town *tenant.Tenant) error {
	const mairie = "economie@montclair.localhost"
	premises := []attractiveness.Premise{
		{Title: DemoPremise, Kind: attractiveness.Shop, Address: "12 rue des Halles, 86990 Montclair-sur-Vienne",
			Surface: 85, Deal: attractiveness.Rent, PriceCents: 95000, Unit: attractiveness.PerMonth, Tax: attractiveness.BeforeTax,
			Description: "Ancienne mercerie en plein centre-bourg, face aux halles du marché : vitrine de 6 mètres, " +
				"réserve de 20 m², sanitaires, accessible de plain-pied.\n\nBail commercial 3-6-9. " +
				"Le marché du samedi matin amène près de 2 000 passages dans la rue.",
			ContactName: "Service du développement économique", ContactEmail: mairie, ContactPhone: "05 49 00 12 40", Published: true},
		{Title: "Bureaux de 140 m² à la Pépinière d'entreprises", Kind: attractiveness.Office,
			Address: "Pépinière d'entreprises du Val de Vienne, 4 allée des Artisans, 86990 Montclair-sur-Vienne",
			Surface: 140, Deal: attractiveness.Rent, PriceCents: 9500, Unit: attractiveness.PerM2Year, Tax: attractiveness.BeforeTax,
			AvailableFrom: c.later(45), Description: "Trois bureaux cloisonnés et une salle de réunion, fibre optique, " +
				"accueil et salle de pause partagés avec les entreprises de la pépinière.\n\nConventions de 23 mois renouvelables, " +
				"réservées aux entreprises de moins de trois ans.",
			ContactName: "Pépinière d'entreprises du Val de Vienne", ContactEmail: "pepiniere@montclair.localhost", ContactPhone: "05 49 00 12 60", Published: true},
		{Title: "Atelier de 320 m² avec quai de chargement", Kind: attractiveness.Workshop,
			Address: "Zone d'activités des Grands Champs, lot 7, 86990 Montclair-sur-Vienne",
			Surface: 320, Deal: attractiveness.Rent, PriceCents: 160000, Unit: attractiveness.PerMonth, Tax: attractiveness.BeforeTax,
			Description: "Bâtiment à ossature métallique, hauteur sous plafond de 6 mètres, porte sectionnelle, " +
				"quai de chargement, bureau de 25 m² et parking de 10 places.",
			ContactName: "Service du développement économique", ContactEmail: mairie, ContactPhone: "05 49 00 12 40", Published: true},
		{Title: "Terrain de 4 500 m² dans la zone d'activités des Grands Champs", Kind: attractiveness.Land,
			Address: "Zone d'activités des Grands Champs, lot 12, 86990 Montclair-sur-Vienne",
			Surface: 4500, Deal: attractiveness.Sale, PriceCents: 1800, Unit: attractiveness.PerM2, Tax: attractiveness.BeforeTax,
			Description: "Parcelle viabilisée (eau, électricité, fibre, assainissement), à 3 km de l'échangeur de la RN 147. " +
				"Constructible pour l'artisanat, l'industrie légère et la logistique.\n\nLa commune peut diviser le lot selon le projet.",
			ContactName: "Service du développement économique", ContactEmail: mairie, ContactPhone: "05 49 00 12 40", Published: true},
		{Title: "Local de 60 m², 3 place de la République", Kind: attractiveness.Shop,
			Address: "3 place de la République, 86990 Montclair-sur-Vienne",
			Surface: 60, Deal: attractiveness.Rent, PriceCents: 62000, Unit: attractiveness.PerMonth, Tax: attractiveness.BeforeTax,
			Description: "Ancienne agence bancaire, en travaux de remise aux normes d'accessibilité.",
			ContactName: "Agence immobilière du Centre", ContactEmail: "agence-centre@courriel.localhost", ContactPhone: "05 49 00 33 10", Published: false},
	}
	for i := range premises {
		p := premises[i]
		p.TenantID = town.ID
		if err := c.Store.AddPremise(ctx, &p); err != nil {
			return err
		}
	}
	aids := []attractiveness.Aid{
		{Name: "Aide à l'installation des commerces en centre-bourg", Funder: attractiveness.Commune,
			Eligible: "Commerces et artisans qui ouvrent ou reprennent une boutique dans le périmètre du centre-bourg",
			Amount:   "Six mois de loyer pris en charge à 50 %, jusqu'à 3 000 € (délibération du conseil municipal)"},
		{Name: "Prêt d'honneur Initiative Vienne", Funder: attractiveness.Intercommunality,
			Eligible: "Créateurs et repreneurs d'entreprise du territoire, avec un prêt bancaire",
			Amount:   "Prêt personnel sans intérêt ni garantie, de 3 000 € à 30 000 €", Link: "https://www.initiative-france.fr/"},
		{Name: "Aides régionales aux entreprises", Funder: attractiveness.Region,
			Eligible: "TPE et PME de Nouvelle-Aquitaine qui investissent, innovent ou recrutent",
			Amount:   "Subventions et avances remboursables selon le projet", Link: "https://www.nouvelle-aquitaine.fr/"},
		{Name: "Aide à la création ou à la reprise d'une entreprise (ACRE)", Funder: attractiveness.State,
			Eligible: "Créateurs et repreneurs, sous conditions (demandeurs d'emploi, jeunes, bénéficiaires de minima sociaux…)",
			Amount:   "Exonération partielle des cotisations sociales pendant 12 mois", Link: "https://entreprendre.service-public.fr/"},
	}
	for i := range aids {
		a := aids[i]
		a.TenantID = town.ID
		if err := c.Store.AddAid(ctx, &a); err != nil {
			return err
		}
	}
	return c.Store.SaveContacts(ctx, &attractiveness.Contacts{TenantID: town.ID, Service: "Service du développement économique",
		Person: "Claire Dubreuil, chargée de mission commerce et artisanat", Email: mairie, Phone: "05 49 00 12 40",
		Address: "Hôtel de ville, 1 place de la Mairie, 86990 Montclair-sur-Vienne", Hours: "Du lundi au vendredi, sur rendez-vous"})
}

// later is the date n days after the store's today, as "YYYY-MM-DD".
func (c *Capability) later(n int) string {
	return c.Store.Now().AddDate(0, 0, n).Format("2006-01-02")
}
