package questionsweb

import (
	"context"

	"guichet/internal/capability/questions"
	"guichet/internal/kernel/tenant"
)

// SeedDemo implements kernel.DemoContent: for both demo collectivités, a
// "Vrai ou faux ?" post, FAQ entries and the demo residents' questions,
// one answered and one waiting.
func (c *Capability) SeedDemo(ctx context.Context, tenants map[string]*tenant.Tenant) error {
	for _, t := range tenants {
		if err := c.seedQuestionsFor(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

func (c *Capability) seedQuestionsFor(ctx context.Context, t *tenant.Tenant) error {
	s := c.Store
	posts := []*questions.Question{
		{Kind: questions.QuestionTrueFalse, Verdict: "faux", Question: "La piscine municipale va fermer définitivement ?",
			Answer: "**Faux.** La piscine ferme deux semaines pour la vidange annuelle, puis rouvre normalement."},
		{Kind: questions.QuestionFAQ, Question: "Comment obtenir une carte d'identité ?",
			Answer: "Prenez rendez-vous en mairie, avec votre pré-demande en ligne, une photo récente et un justificatif de domicile."},
		{Kind: questions.QuestionFAQ, Question: "L'eau du robinet est-elle potable ?",
			Answer: "Oui. Les analyses de l'Agence régionale de santé sont affichées en mairie et conformes."},
	}
	for _, q := range posts {
		q.TenantID = t.ID
		if err := s.SavePost(ctx, q, "Service communication"); err != nil {
			return err
		}
	}
	// Asked by the demo residents, signed in: their accounts exist by now.
	asker := func(email string) string {
		if u, err := c.k.Accounts.ByEmail(ctx, t.ID, email); err == nil {
			return u.ID
		}
		return "demo"
	}
	q, err := s.Ask(ctx, t.ID, asker("habitante@courriel.localhost"), "Habitante", "habitante@courriel.localhost",
		"Quand le city-stade sera-t-il rénové ?", "", "", "fr")
	if err != nil {
		return err
	}
	_, err = s.Answer(ctx, t.ID, q.ID, "La rénovation est inscrite au budget : les travaux auront lieu cet automne.", "Service communication", true, "")
	if err != nil {
		return err
	}
	_, err = s.Ask(ctx, t.ID, asker("habitant@courriel.localhost"), "Habitant", "habitant@courriel.localhost",
		"Le marché de Noël aura-t-il lieu cette année ?", "", "", "fr")
	return err
}
