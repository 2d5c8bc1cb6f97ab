package questionsweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"guichet/internal/capability/questions"
	"guichet/internal/kernel"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/tokens"
)

var _ kernel.Isolated = (*Capability)(nil)

// IsolationRows implements kernel.Isolated: questions waiting for their
// asker's check, published ones, and the moderators' answer.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	anon, admin := kernel.AsAnonymous, kernel.AsVillageAdmin
	row := func(name, as, method string, form url.Values, target kernel.IsolationTarget, want int, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Form: form, Target: target, Want: want, Unchanged: unchanged}
	}
	// question is the question the last target asked, for its check.
	var question string
	unverified := func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		token, id, err := c.townUnverifiedQuestion(ctx, town)
		if err != nil {
			return "", nil, err
		}
		question = id
		return "/questions/verifier/" + token, []string{townOnly, "curieux@courriel.localhost"}, nil
	}
	stillUnverified := func(ctx context.Context, town *tenant.Tenant) error {
		q, err := c.Store.QuestionByID(ctx, town.ID, question)
		if err != nil || q.Status != questions.QUnverified {
			return fmt.Errorf("the town's question was passed on from the village: %+v, %v", q, err)
		}
		return nil
	}
	return []kernel.IsolationRow{
		row("open a town question's verification", anon, "GET", nil, unverified, http.StatusNotFound, stillUnverified),
		row("pass on a town question", anon, "POST", nil, unverified, http.StatusNotFound, stillUnverified),
		row("read a town question", anon, "GET", nil, c.townQuestion(""), http.StatusNotFound, nil),
		row("answer a town question", admin, "POST", url.Values{"answer": {"Piraté"}, "action": {"publish"}}, c.townQuestion("/gestion"), http.StatusNotFound, nil),
	}
}

// townOnly marks records that exist in the town alone (the demo gives
// both collectivités the same questions).
const townOnly = "réservé à Montclair"

func (c *Capability) townQuestion(prefix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		q := &questions.Question{TenantID: town.ID, Kind: questions.QuestionFAQ, Question: "Question " + townOnly + " ?", Answer: "Réponse."}
		if err := c.Store.SavePost(ctx, q, "test"); err != nil {
			return "", nil, err
		}
		return prefix + "/questions/" + q.ID, []string{townOnly}, nil
	}
}

// townUnverifiedQuestion asks the town a question without an account and
// returns a verification token that is known (its hash planted) and the
// question's id.
func (c *Capability) townUnverifiedQuestion(ctx context.Context, town *tenant.Tenant) (token, id string, err error) {
	q, err := c.Store.Ask(ctx, town.ID, "", "", "curieux@courriel.localhost", "Question "+townOnly+" ?", "", "", "fr")
	if err != nil {
		return "", "", err
	}
	token = "jeton-de-question-de-montclair-" + q.ID
	if _, err := c.k.DB.Exec(ctx, `UPDATE content_questions SET verify_hash = ? WHERE tenant_id = ? AND id = ?`,
		tokens.Hash(token), town.ID, q.ID); err != nil {
		return "", "", err
	}
	return token, q.ID, nil
}
