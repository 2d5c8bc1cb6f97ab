package participationweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"guichet/internal/capability/participation"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// pollRows are the access rows of the poll routes: the pages and the
// results' CSV are public, answering needs an account, the staff who
// run the consultations (moderators, editors) manage them.
func (c *Capability) pollRows() []access.Row {
	public, signedIn := access.Public(), access.SignedInOnly()
	staff := access.StaffOnly(account.RoleModerator, account.RoleEditor)
	open := access.Named("slug", "participation-poll")
	id := access.Named("id", "participation-poll-id")
	ballot := func(f access.Fixtures) access.Call {
		return access.Call{Params: access.Params{"slug": f.Get("participation-poll")},
			Form: url.Values{"q-" + f.Get("participation-poll-question"): {"0"}}}
	}
	return []access.Row{
		access.For("site GET "+PollsPath, public, nil),
		access.For("site GET "+PollsPath+"/{slug}", public, access.Fixed(open)),
		access.For("site POST "+PollsPath+"/{slug}/reponse", signedIn, ballot),
		access.For("site GET "+PollsPath+"/{slug}/resultats.csv", public, access.Fixed(access.Named("slug", "participation-poll-closed"))),
		access.For("site GET "+PollsAdminPath, staff, nil),
		access.For("site GET "+PollsAdminPath+"/nouvelle", staff, nil),
		access.For("site POST "+PollsAdminPath+"/nouvelle", staff, access.Posting(nil, url.Values{"title": {""}})),
		access.For("site GET "+PollsAdminPath+"/{id}", staff, access.Fixed(id)),
		access.For("site POST "+PollsAdminPath+"/{id}", staff, access.Posting(id, url.Values{"title": {""}})),
	}
}

// pollFixtures makes the matrix's polls: an open one everybody signed in
// may answer, and a closed one with a ballot, for its CSV.
func (c *Capability) pollFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	now := c.k.Now().UTC()
	mk := func(slug string) (*participation.Poll, error) {
		p := &participation.Poll{TenantID: town.ID, Slug: slug, Title: "Consultation " + slug, Audience: participation.AudienceAll,
			Published: true, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(30 * 24 * time.Hour),
			Questions: []*participation.Question{{Kind: participation.Single, Label: "Votre avis\u00a0?",
				Choices: []string{"Pour", "Contre"}, Required: true}}}
		return p, c.Store.CreatePoll(ctx, p)
	}
	open, err := mk("consultation-de-la-matrice")
	if err != nil {
		return err
	}
	f.Set("participation-poll", open.Slug)
	f.Set("participation-poll-question", open.Questions[0].ID)
	f.Set("participation-poll-id", open.ID)
	closed, err := mk("consultation-close-de-la-matrice")
	if err != nil {
		return err
	}
	f.Set("participation-poll-closed", closed.Slug)
	owner, err := c.k.Accounts.ByEmail(ctx, town.ID, f.Owner())
	if err != nil {
		return err
	}
	if err := c.Store.Cast(ctx, closed, owner.ID, participation.Ballot{closed.Questions[0].ID: {Choices: []int{0}}}); err != nil {
		return err
	}
	return closePoll(ctx, c, closed, now.Add(-time.Minute))
}

// closePoll moves a poll's closing to at, past: the demo and the
// fixtures cast their ballots while it is open, then close it.
func closePoll(ctx context.Context, c *Capability, p *participation.Poll, at time.Time) error {
	_, err := c.Store.DB().Exec(ctx, `UPDATE participation_polls SET closes_at = ? WHERE tenant_id = ? AND id = ?`,
		at.UTC(), p.TenantID, p.ID)
	p.ClosesAt = at.UTC()
	return err
}

// The town's demo polls the isolation rows aim at, and what only they
// hold.
const (
	isolatedPoll       = "parc-des-glycines"
	isolatedPollTitle  = "Aménagement du parc des Glycines"
	isolatedClosed     = "mediatheque-le-samedi"
	isolatedClosedText = "médiathèque le samedi"
)

// pollIsolation are the isolation rows of the poll routes: from the
// village's host nobody lists, opens, answers or exports the town's
// polls, nor sees or changes them in the back office.
func (c *Capability) pollIsolation() []kernel.IsolationRow {
	admin, anon := kernel.AsVillageAdmin, kernel.AsAnonymous
	row := func(name, as, method string, form url.Values, target kernel.IsolationTarget, want int, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Form: form, Target: target, Want: want, Unchanged: unchanged}
	}
	return []kernel.IsolationRow{
		row("the village's consultations show none of the town's", anon, "GET", nil,
			kernel.Path(PollsPath, isolatedPollTitle, isolatedClosedText), http.StatusOK, nil),
		row("a town consultation's page", anon, "GET", nil, kernel.Path(PollsPath+"/"+isolatedPoll, isolatedPollTitle),
			http.StatusNotFound, nil),
		row("answer a town consultation", admin, "POST", nil, c.townBallot, http.StatusNotFound, c.townPollIntact),
		row("a town consultation's results", anon, "GET", nil,
			kernel.Path(PollsPath+"/"+isolatedClosed+"/resultats.csv", isolatedClosedText), http.StatusNotFound, nil),
		row("the village's back office lists none of the town's consultations", admin, "GET", nil,
			kernel.Path(PollsAdminPath, isolatedPollTitle, isolatedClosedText), http.StatusOK, nil),
		row("a town consultation's form", admin, "GET", nil, c.townPollAdmin, http.StatusNotFound, nil),
		row("change a town consultation", admin, "POST", url.Values{"title": {"Piratée"}, "audience": {participation.AudienceAll},
			"opens": {"2026-01-01"}, "closes": {"2030-01-01"}, "q1-kind": {participation.Open}, "q1-label": {"Piratée\u00a0?"}},
			c.townPollAdmin, http.StatusNotFound, c.townPollIntact),
	}
}

// townBallot is the ballot's address of the town's open poll, the
// village's form not knowing its questions: the form is set here.
func (c *Capability) townBallot(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	return PollsPath + "/" + isolatedPoll + "/reponse", nil, nil
}

// townPollAdmin is the back office's page of the town's open poll.
func (c *Capability) townPollAdmin(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	p, err := c.Store.PollBySlug(ctx, town.ID, isolatedPoll)
	if err != nil {
		return "", nil, err
	}
	return PollsAdminPath + "/" + p.ID, []string{isolatedPollTitle}, nil
}

// townPollIntact checks the town's open poll: its title, and as many
// ballots counted as cast, all the town's.
func (c *Capability) townPollIntact(ctx context.Context, town *tenant.Tenant) error {
	p, err := c.Store.PollBySlug(ctx, town.ID, isolatedPoll)
	if err != nil {
		return fmt.Errorf("the town's poll: %w", err)
	}
	if p.Title != isolatedPollTitle || len(p.Questions) != 3 {
		return fmt.Errorf("the town's poll changed: %q, %d questions", p.Title, len(p.Questions))
	}
	var rows, foreign int
	if err := c.Store.DB().QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN tenant_id <> ? THEN 1 ELSE 0 END), 0)
		FROM participation_ballots WHERE poll_id = ?`, town.ID, p.ID).Scan(&rows, &foreign); err != nil {
		return err
	}
	if rows != p.Ballots || foreign != 0 {
		return fmt.Errorf("the town's poll counts %d ballots for %d cast, %d from elsewhere", p.Ballots, rows, foreign)
	}
	return nil
}
