package questionsweb

import (
	"context"
	"fmt"
	"net/url"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/tokens"
)

// AccessRows implements kernel.Guarded: the public pages, the link mailed
// to people without an account, and the moderators' back office.
func (c *Capability) AccessRows() []access.Row {
	public, holders := access.Public(), access.TokenHolders()
	moderator := access.StaffOnly(account.RoleModerator)
	named, fixed, posting, taken := access.Named, access.Fixed, access.Posting, access.Taken
	return []access.Row{
		access.For("site GET /questions", public, nil),
		access.For("site GET /questions/poser", public, nil),
		access.For("site POST /questions/poser", public, posting(nil, url.Values{"question": {"?"}})),
		access.For("site GET /questions/verifier/{token}", holders, taken("token", "question-token")).Renewed().Secret("token"),
		access.For("site POST /questions/verifier/{token}", holders, taken("token", "question-token")).Renewed().Secret("token"),
		access.For("site GET /questions/{id}", public, fixed(named("id", "published-question"))),
		access.For("site GET /gestion/questions", moderator, nil),
		access.For("site POST /gestion/questions/publication", moderator, posting(nil, url.Values{"question": {""}})),
		access.For("site GET /gestion/questions/{id}", moderator, fixed(named("id", "pending-question"))),
		access.For("site POST /gestion/questions/{id}", moderator,
			posting(named("id", "pending-question"), url.Values{"answer": {""}})),
	}
}

// matrixWho signs the fixtures' answers.
const matrixWho = "Matrice"

// AccessFixtures implements kernel.AccessFixtured: questions asked and
// answered.
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	return c.questionFixtures(ctx, town, f)
}

// questionFixtures asks questions: visitors' ones waiting for their
// emailed link (whose hash the fixtures plant), and the demo resident's
// ones, pending and published.
func (c *Capability) questionFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	s := c.Store
	err := f.Fill("question-token", 2*f.Uses(), func() (string, error) {
		q, err := s.Ask(ctx, town.ID, "", "Visiteuse", fmt.Sprintf("visiteuse-%d@courriel.localhost", f.Next()),
			"Une question de la matrice ?", "", "", "fr")
		if err != nil {
			return "", err
		}
		tok := fmt.Sprintf("jeton-de-question-%d-de-la-matrice", f.Next())
		_, err = s.DB().Exec(ctx, `UPDATE content_questions SET verify_hash = ? WHERE tenant_id = ? AND id = ?`,
			tokens.Hash(tok), town.ID, q.ID)
		return tok, err
	})
	if err != nil {
		return fmt.Errorf("question: %w", err)
	}
	resident, err := c.k.Accounts.ByEmail(ctx, town.ID, f.Owner())
	if err != nil {
		return fmt.Errorf("resident: %w", err)
	}
	ask := func(text string) (string, error) {
		q, err := s.Ask(ctx, town.ID, resident.ID, "Habitante", f.Owner(), text, "", "", "fr")
		if err != nil {
			return "", fmt.Errorf("question: %w", err)
		}
		return q.ID, nil
	}
	pending, err := ask("Une question en attente de la matrice ?")
	if err != nil {
		return err
	}
	f.Set("pending-question", pending)
	published, err := ask("Une question publiée de la matrice ?")
	if err != nil {
		return err
	}
	if _, err := s.Answer(ctx, town.ID, published, "Une réponse.", matrixWho, true, ""); err != nil {
		return fmt.Errorf("answer: %w", err)
	}
	f.Set("published-question", published)
	return nil
}
