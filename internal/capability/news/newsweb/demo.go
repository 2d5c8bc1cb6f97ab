package newsweb

import (
	"context"
	"time"

	"guichet/internal/capability/news"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
)

// SeedDemo implements kernel.DemoContent: news for both demo
// collectivités, one of them a draft.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	for _, t := range tenants {
		if err := c.seedNews(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

func (c *Capability) seedNews(ctx context.Context, t *tenant.Tenant) error {
	s, who := c.Store, "Service communication"
	ago := func(days int) *time.Time {
		at := c.k.Now().Add(-time.Duration(days) * 24 * time.Hour).Truncate(time.Second)
		return &at
	}
	items := []*news.News{
		{Category: "travaux", Title: "Travaux rue Victor-Hugo : circulation alternée", Summary: "Réfection de la chaussée et des trottoirs pendant trois semaines.",
			Body:     "La rue Victor-Hugo fait l'objet de **travaux de voirie** du lundi au vendredi, de 8 h à 17 h.\n\n- circulation alternée par feux ;\n- stationnement interdit côté pair ;\n- accès des riverains maintenu.\n\nRenseignements auprès des services techniques.",
			EasyRead: "Des ouvriers réparent la rue Victor-Hugo.\n\nLes voitures passent chacune leur tour.\n\nLes travaux durent 3 semaines."},
		{Category: "vie-municipale", Title: "Compte rendu du conseil municipal", Summary: "Budget primitif, tarifs de la cantine et subventions aux associations.",
			Body: "Le conseil municipal s'est réuni en séance publique. Il a adopté le **budget primitif**, voté les tarifs de la restauration scolaire et attribué les subventions aux associations.\n\nLe procès-verbal est consultable en mairie."},
		{Category: "education", Title: "Inscriptions à l'école pour la rentrée", Summary: "Les inscriptions scolaires sont ouvertes en mairie.",
			Body: "Les familles dont l'enfant entre à l'école maternelle ou arrive dans la commune peuvent l'inscrire en mairie, avec le livret de famille et un justificatif de domicile."},
		{Category: "environnement", Title: "Collecte des déchets verts au printemps", Summary: "Une benne est installée chaque samedi matin près des ateliers municipaux.",
			Body: "Tontes, tailles de haies et feuilles sont acceptées. Les souches et les sacs plastique ne le sont pas."},
	}
	for i, n := range items {
		n.TenantID, n.Status, n.PublishAt = t.ID, publishing.StatusPublished, ago(2+5*i)
		if err := s.Save(ctx, n, who, "published"); err != nil {
			return err
		}
	}
	draft := &news.News{TenantID: t.ID, Category: "culture", Title: "Programme de la saison culturelle", Body: "Brouillon en cours de rédaction."}
	if err := s.Save(ctx, draft, who, "created"); err != nil {
		return err
	}
	return nil
}
