package councilweb

import (
	"context"
	"fmt"
	"net/url"

	"guichet/internal/capability/council"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/tokens"
)

// AccessRows implements kernel.Guarded: the public pages, files, feed and
// open data, the followers' emailed links, and the secretary's pages.
func (c *Capability) AccessRows() []access.Row {
	public, holders := access.Public(), access.TokenHolders()
	sec := access.StaffOnly(account.RoleSecretary)
	named, fixed, posting, taken := access.Named, access.Fixed, access.Posting, access.Taken
	session, act := named("id", "council-session"), named("slug", "council-act-slug")
	return []access.Row{
		access.For("site GET /conseil-municipal", public, nil),
		access.For("site GET /conseil-municipal/seances/{id}", public, fixed(session)),
		access.For("site GET /conseil-municipal/fichiers/{id}", public, fixed(named("id", "council-public-file"))),
		access.For("site GET /actes", public, nil),
		access.For("site GET /actes/flux.atom", public, nil),
		access.For("site GET /actes/{slug}", public, fixed(act)),
		access.For("site GET /actes/{slug}/acte.pdf", public, fixed(act)),
		access.For("site POST /actes/suivre", public, posting(nil, url.Values{"email": {"pas-une-adresse"}})),
		access.For("site GET /actes/suivre/confirmer/{token}", holders, taken("token", "council-follow")).Renewed().Secret("token"),
		access.For("site POST /actes/suivre/confirmer/{token}", holders, taken("token", "council-follow")).Renewed().Secret("token"),
		access.For("site GET /actes/suivre/arreter/{token}", holders, fixed(named("token", "council-unfollow"))),
		access.For("site POST /actes/suivre/arreter/{token}", holders, taken("token", "council-unfollow")).Renewed(),
		access.For("site GET /donnees", public, nil),
		access.For("site GET /donnees/deliberations.csv", public, nil),
		access.For("site GET /donnees/catalogue.csv", public, nil),

		access.For("site GET /gestion/conseil", sec, nil),
		access.For("site GET /gestion/conseil/elus", sec, nil),
		access.For("site POST /gestion/conseil/elus", sec, posting(nil, url.Values{"name": {""}})),
		access.For("site GET /gestion/conseil/elus/{id}", sec, fixed(named("id", "council-member"))),
		access.For("site POST /gestion/conseil/elus/{id}", sec, posting(named("id", "council-member"), url.Values{"name": {""}})),
		access.For("site POST /gestion/conseil/seances", sec, posting(nil, url.Values{"place": {""}})),
		access.For("site GET /gestion/conseil/seances/{id}", sec, fixed(session)),
		access.For("site POST /gestion/conseil/seances/{id}", sec, posting(session, url.Values{"place": {""}})),
		access.For("site POST /gestion/conseil/seances/{id}/points", sec, posting(session, url.Values{"title": {""}})),
		access.For("site POST /gestion/conseil/seances/{id}/points/{item}", sec, func(f access.Fixtures) access.Call {
			return access.Call{Params: access.Params{"id": f.Get("council-session"), "item": f.Get("council-item")},
				Form: url.Values{"title": {""}}}
		}),
		access.For("site POST /gestion/conseil/seances/{id}/convocation", sec, posting(named("id", "council-upcoming"), nil)),
		access.For("site POST /gestion/conseil/seances/{id}/presences", sec, posting(session, url.Values{"status_x": {"inconnu"}})),
		access.For("site POST /gestion/conseil/seances/{id}/documents", sec, posting(session, url.Values{"title": {""}})),
		access.For("site POST /gestion/conseil/seances/{id}/liste", sec, posting(session, nil)),
		access.For("site GET /gestion/conseil/seances/{id}/proces-verbal", sec, fixed(session)),
		access.For("site POST /gestion/conseil/seances/{id}/proces-verbal", sec, posting(session, url.Values{"minutes": {""}})),
		access.For("site POST /gestion/conseil/seances/{id}/proces-verbal/approbation", sec, posting(session, url.Values{"approved_in": {""}})),
		access.For("site POST /gestion/conseil/seances/{id}/proces-verbal/publication", sec, posting(session, nil)),
		access.For("site GET /gestion/conseil/fichiers/{id}", sec, fixed(named("id", "council-public-file"))),
		access.For("site GET /gestion/actes", sec, nil),
		access.For("site GET /gestion/actes/nouveau", sec, nil),
		access.For("site POST /gestion/actes/nouveau", sec, posting(nil, url.Values{"title": {""}})),
		access.For("site GET /gestion/actes/{id}", sec, fixed(named("id", "council-act"))),
		access.For("site POST /gestion/actes/{id}", sec, posting(named("id", "council-draft"), url.Values{"title": {""}})),
		access.For("site POST /gestion/actes/{id}/publier", sec, taken("id", "council-to-publish")).Renewed(),
		access.For("site POST /gestion/actes/{id}/rectifier", sec, posting(named("id", "council-act"), nil)),
	}
}

// AccessFixtures implements kernel.AccessFixtured: the town's demo
// session, act and files, drafts to publish, and followers' links.
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	s, loc := c.Store, town.Location()
	day := s.Now().In(loc).Format(council.DateLayout)
	acts, _, err := s.PublicActs(ctx, town.ID, day, council.ActFilter{Kind: council.Deliberation, Limit: 1})
	if err != nil || len(acts) == 0 {
		return fmt.Errorf("council fixtures: no published deliberation: %v", err)
	}
	a, err := s.Act(ctx, town.ID, acts[0].ID)
	if err != nil {
		return err
	}
	f.Set("council-act", a.ID)
	f.Set("council-act-slug", council.Slug(a.Kind, a.Number))
	f.Set("council-public-file", a.FileID)
	f.Set("council-session", a.SessionID)
	x, err := s.Session(ctx, town.ID, a.SessionID)
	if err != nil {
		return err
	}
	f.Set("council-item", x.Items[0].ID)
	sessions, err := s.Sessions(ctx, town.ID)
	if err != nil {
		return err
	}
	f.Set("council-upcoming", sessions[0].ID) // latest first: the one to come
	members, err := s.Members(ctx, town.ID)
	if err != nil || len(members) == 0 {
		return fmt.Errorf("council fixtures: no member: %v", err)
	}
	f.Set("council-member", members[len(members)-1].ID)
	draft := func() (string, error) {
		number, err := s.NextNumber(ctx, town.ID, council.Arrete, day[:4])
		if err != nil {
			return "", err
		}
		d := &council.Act{TenantID: town.ID, Kind: council.Arrete, Number: number, AdoptedOn: day, SubjectCode: "6.1",
			Title: fmt.Sprintf("Arrêté de la matrice %d", f.Next()), Body: "Article unique – Le présent arrêté sert aux essais."}
		if err := s.SaveAct(ctx, d, "Matrice"); err != nil {
			return "", err
		}
		return d.ID, nil
	}
	id, err := draft()
	if err != nil {
		return err
	}
	f.Set("council-draft", id)
	if err := f.Fill("council-to-publish", f.Uses(), draft); err != nil {
		return err
	}
	return c.followerFixtures(ctx, town, f)
}

// followerFixtures follows new acts with addresses whose confirmation
// link, mailed, is replaced by the fixtures' own token.
func (c *Capability) followerFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	s := c.Store
	follow := func() (string, error) {
		email := fmt.Sprintf("suivi-%d@courriel.localhost", f.Next())
		return email, s.Follow(ctx, town.ID, email, "", "fr")
	}
	err := f.Fill("council-follow", 2*f.Uses(), func() (string, error) {
		tok := fmt.Sprintf("jeton-de-suivi-%d-de-la-matrice", f.Next())
		email, err := follow()
		if err != nil {
			return "", err
		}
		_, err = s.DB().Exec(ctx, `UPDATE council_subscribers SET confirm_hash = ? WHERE tenant_id = ? AND email = ?`,
			tokens.Hash(tok), town.ID, email)
		return tok, err
	})
	if err != nil {
		return err
	}
	unfollowToken := func() (string, error) {
		email, err := follow()
		if err != nil {
			return "", err
		}
		var tok string
		err = s.DB().QueryRow(ctx, `SELECT unsubscribe_token FROM council_subscribers WHERE tenant_id = ? AND email = ?`,
			town.ID, email).Scan(&tok)
		return tok, err
	}
	tok, err := unfollowToken()
	if err != nil {
		return err
	}
	f.Set("council-unfollow", tok)
	return f.Fill("council-unfollow", f.Uses(), unfollowToken)
}
