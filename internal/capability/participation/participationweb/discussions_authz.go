package participationweb

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"guichet/internal/capability/participation"
	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// The matrix's space of discussion, in the town.
const matrixSpace = "espace-de-la-matrice"

// discussionRows are the access rows of the discussion routes: the
// pages are public, writing, following and reacting take an account.
func (c *Capability) discussionRows() []access.Row {
	public, signedIn := access.Public(), access.SignedInOnly()
	space := access.Named("slug", "participation-space")
	thread := access.Named("id", "participation-thread")
	message := access.Named("id", "participation-discussion-message")
	return []access.Row{
		access.For("site GET "+SpacesPath+"/{slug}", public, access.Fixed(space)),
		// An empty message: refused on its field (served, 422), nothing written.
		access.For("site POST "+SpacesPath+"/{slug}/discussions", signedIn, access.Posting(space,
			url.Values{"title": {"Discussion de la matrice"}, "body": {""}})),
		access.For("site GET "+DiscussionsPath+"/{id}", public, access.Fixed(thread)),
		access.For("site GET "+DiscussionsPath+"/{id}/direct", public, access.Fixed(thread)),
		access.For("site POST "+DiscussionsPath+"/{id}/reponses", signedIn, access.Posting(thread, url.Values{"body": {""}})),
		access.For("site POST "+DiscussionsPath+"/{id}/suivre", signedIn, access.Fixed(thread)),
		access.For("site POST "+DiscussionsPath+"/{id}/ne-plus-suivre", signedIn, access.Fixed(thread)),
		access.For("site POST "+MessagesPath+"/{id}/reactions", signedIn, access.Posting(message,
			url.Values{"kind": {participation.ReactThanks}})),
	}
}

// discussionFixtures makes the matrix's space with a discussion opened
// by the town's demo resident.
func (c *Capability) discussionFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	sp := &participation.Space{TenantID: town.ID, Slug: matrixSpace, Name: "Espace de la matrice", Position: 99,
		Rules: participation.Rules{LinksAllowed: true}}
	if err := c.Store.CreateSpace(ctx, sp); err != nil {
		return err
	}
	f.Set("participation-space", sp.Slug)
	u, err := c.k.Accounts.ByEmail(ctx, town.ID, f.Owner())
	if err != nil {
		return err
	}
	// Written as the mairie, so that no screen holds it whatever the account's age.
	a := participation.Author{ID: u.ID, Name: u.Name, Since: u.CreatedAt, Staff: true}
	t := &participation.Thread{Kind: participation.Discussion, Title: "Discussion de la matrice"}
	m, err := c.Store.StartThread(ctx, sp, t, a, "Le message d'ouverture de la matrice.")
	if err != nil {
		return err
	}
	if t.State != participation.Visible {
		return fmt.Errorf("the matrix's discussion is %s", t.State)
	}
	f.Set("participation-thread", t.ID)
	f.Set("participation-discussion-message", m.ID)
	return nil
}

// The town's demo space and discussion the isolation rows aim at.
const (
	isolatedSpace = "quartier-des-tilleuls"
	isolatedName  = "Quartier des Tilleuls"
	pirate        = "Réponse pirate du village"
)

// discussionIsolation are the isolation rows of the discussion routes:
// from the village's host nobody sees the town's spaces, discussions or
// messages, nor writes, follows or reacts there.
func (c *Capability) discussionIsolation() []kernel.IsolationRow {
	admin, anon := kernel.AsVillageAdmin, kernel.AsAnonymous
	row := func(name, as, method string, form url.Values, target kernel.IsolationTarget, want int, unchanged kernel.IsolationCheck) kernel.IsolationRow {
		return kernel.IsolationRow{Name: name, As: as, Method: method, Form: form, Target: target, Want: want, Unchanged: unchanged}
	}
	return []kernel.IsolationRow{
		row("the village's participation home lists none of the town's spaces", anon, "GET", nil,
			kernel.Path(HomePath, isolatedName, "Se déplacer à Montclair"), http.StatusOK, nil),
		row("the village's space lists none of the town's discussions", anon, "GET", nil,
			c.townThreadTarget(func(*participation.Thread) string { return SpacesPath + "/vie-du-village" }), http.StatusOK, nil),
		row("a town space's page", anon, "GET", nil, kernel.Path(SpacesPath+"/"+isolatedSpace, isolatedName), http.StatusNotFound, nil),
		row("start a discussion in a town space", admin, "POST", url.Values{"title": {pirate}, "body": {pirate}},
			kernel.Path(SpacesPath+"/"+isolatedSpace+"/discussions"), http.StatusNotFound, c.townDiscussionsIntact),
		row("a town discussion's page", anon, "GET", nil, c.townThreadTarget((*participation.Thread).Path), http.StatusNotFound, nil),
		row("reply to a town discussion", admin, "POST", url.Values{"body": {pirate}},
			c.townThreadTarget(func(t *participation.Thread) string { return t.Path() + "/reponses" }), http.StatusNotFound,
			c.townDiscussionsIntact),
		row("follow a town discussion", admin, "POST", nil,
			c.townThreadTarget(func(t *participation.Thread) string { return t.Path() + "/suivre" }), http.StatusNotFound,
			c.townDiscussionsIntact),
		row("react to a town message", admin, "POST", url.Values{"kind": {participation.ReactThanks}},
			c.townMessageTarget("/reactions"), http.StatusNotFound, c.townDiscussionsIntact),
	}
}

// townThread is the latest discussion of the town's neighbourhood space.
func (c *Capability) townThread(ctx context.Context, town *tenant.Tenant) (*participation.Thread, error) {
	sp, err := c.Store.SpaceBySlug(ctx, town.ID, isolatedSpace)
	if err != nil {
		return nil, fmt.Errorf("the town's space: %w", err)
	}
	list, err := c.Store.Threads(ctx, town.ID, sp.ID, participation.Discussion, 1)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("the town's space %s holds no discussion", isolatedSpace)
	}
	return list[0], nil
}

// townThreadTarget aims at path(the town's discussion); its title must not
// leak.
func (c *Capability) townThreadTarget(path func(*participation.Thread) string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		t, err := c.townThread(ctx, town)
		if err != nil {
			return "", nil, err
		}
		return path(t), []string{t.Title}, nil
	}
}

// townMessageTarget aims at the town discussion's opening message's
// address with suffix.
func (c *Capability) townMessageTarget(suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		t, err := c.townThread(ctx, town)
		if err != nil {
			return "", nil, err
		}
		msgs, err := c.Store.Messages(ctx, town.ID, t.ID, "")
		if err != nil || len(msgs) == 0 {
			return "", nil, fmt.Errorf("the town's discussion has no message: %v", err)
		}
		return MessagesPath + "/" + msgs[0].ID + suffix, []string{t.Title}, nil
	}
}

// townDiscussionsIntact checks that nothing of the village reached the
// town's discussions: no pirate text, no message, reaction or follow of
// an account of another collectivité.
func (c *Capability) townDiscussionsIntact(ctx context.Context, town *tenant.Tenant) error {
	var n int
	err := c.k.DB.QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM participation_messages WHERE tenant_id = ? AND (body LIKE ? OR author_id IN
			(SELECT id FROM users WHERE tenant_id <> ?)))
		+ (SELECT COUNT(*) FROM participation_threads WHERE tenant_id = ? AND title = ?)
		+ (SELECT COUNT(*) FROM participation_reactions WHERE tenant_id = ? AND user_id IN (SELECT id FROM users WHERE tenant_id <> ?))
		+ (SELECT COUNT(*) FROM participation_follows WHERE tenant_id = ? AND user_id IN (SELECT id FROM users WHERE tenant_id <> ?))`,
		town.ID, "%"+pirate+"%", town.ID, town.ID, pirate, town.ID, town.ID, town.ID, town.ID).Scan(&n)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("the village wrote %d rows in the town's discussions", n)
	}
	return nil
}
