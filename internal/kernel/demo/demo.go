// Package demo fills a fresh database with two fictional collectivités and
// plausible French content, for trying Guichet and for the browser tests.
package demo

import (
	"context"
	"fmt"

	"guichet/internal/kernel/tenant"
)

// Town and Village are the slugs of the demo collectivités.
const (
	Town    = "montclair"
	Village = "sauvigny"
)

// Resident is the address of the town's demo resident, who has bookings,
// cases and questions there (the isolation rows use them).
const Resident = "habitante@courriel.localhost"

// Tenants are the demo collectivités: a town of about 12,000 inhabitants
// and a small village. Names and codes are fictional.
func Tenants() []tenant.Tenant {
	return []tenant.Tenant{
		{
			Slug: Town, Name: "Ville de Montclair-sur-Vienne", Kind: tenant.KindCommune,
			INSEE: "86990", SIRET: "21869900700017", Population: 12380,
			Address: "Hôtel de ville, 1 place de la République, 86990 Montclair-sur-Vienne",
			Email:   "contact@montclair.localhost", Phone: "05 49 00 12 34",
			OpeningHours: "Lundi au vendredi : 8 h 30 – 12 h et 13 h 30 – 17 h 30\nSamedi : 9 h – 12 h (état civil)",
			TimeZone:     "Europe/Paris", ColorPrimary: "#1d4f91", ColorAccent: "#8a2b0e", Languages: []string{"fr", "en"},
		},
		{
			Slug: Village, Name: "Commune de Sauvigny-le-Haut", Kind: tenant.KindCommune,
			INSEE: "21990", SIRET: "21219900400012", Population: 486,
			Address: "Mairie, 3 rue de l'Église, 21990 Sauvigny-le-Haut",
			Email:   "mairie@sauvigny.localhost", Phone: "03 80 00 45 67",
			OpeningHours: "Mardi : 14 h – 18 h\nJeudi : 9 h – 12 h",
			TimeZone:     "Europe/Paris", ColorPrimary: "#2f5d3a", ColorAccent: "#6b3e00", Languages: []string{"fr"},
		},
	}
}

// Seed creates the demo collectivités; each domain's demo content is
// added by the app once they exist.
func Seed(ctx context.Context, store *tenant.Store) (map[string]*tenant.Tenant, error) {
	created := map[string]*tenant.Tenant{}
	for _, t := range Tenants() {
		c, err := store.Create(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("demo: create %s: %w", t.Slug, err)
		}
		created[c.Slug] = c
	}
	return created, nil
}
