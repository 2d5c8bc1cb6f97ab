package communitiesweb

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"guichet/internal/capability/communities"
	"guichet/internal/identity/account"
	"guichet/internal/kernel"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// The matrix's community: the town's demo resident animates it.
const matrixSlug = "communaute-de-la-matrice"

// AccessRows implements kernel.Guarded: the public pages, joining and
// leaving, the resident's own page, the digest's link, the animators'
// pages (staff who run the communities, and the residents they named)
// and the staff's pages.
func (c *Capability) AccessRows() []access.Row {
	public, signedIn, holders := access.Public(), access.SignedInOnly(), access.TokenHolders()
	staff := access.Either(access.StaffOnly(account.RoleAdmin, account.RoleEditor),
		access.OfService(StaffService, account.RoleAgent))
	animators := access.Either(staff, access.OwnerOnly())
	slug := func(f access.Fixtures) access.Params { return access.Params{"slug": matrixSlug} }
	id := access.Named("id", "communities-id")
	pair := func(pool, second string) access.Build {
		return func(f access.Fixtures) access.Call {
			first, rest, _ := strings.Cut(f.Take(pool), " ")
			if second == "slug" {
				return access.Call{Params: access.Params{"slug": first, "id": rest}}
			}
			return access.Call{Params: access.Params{"id": first, "user": rest}}
		}
	}
	return []access.Row{
		access.For("site GET /communautes", public, nil),
		access.For("site GET /communautes/{slug}", public, access.Fixed(slug)),
		access.For("site POST /communautes/{slug}/rejoindre", signedIn, access.Fixed(slug)),
		access.For("site POST /communautes/{slug}/quitter", signedIn, access.Fixed(slug)),
		access.For("site GET /communautes/{slug}/animer", animators, access.Fixed(slug)),
		access.For("site POST /communautes/{slug}/annonces", animators, access.Posting(slug,
			url.Values{"title": {"Annonce de la matrice"}, "body": {"Texte de l'annonce de la matrice."}})),
		access.For("site POST /communautes/{slug}/annonces/{id}/retirer", animators, pair("communities-post", "slug")).Renewed(),
		access.For("site POST /communautes/{slug}/publications", animators, access.Posting(slug,
			url.Values{"publication": {"news:inconnue"}})),
		access.For("site POST /communautes/{slug}/publications/{id}/retirer", animators, pair("communities-link", "slug")).Renewed(),
		access.For("site GET /mon-espace/communautes", signedIn, nil),
		access.For("site POST /mon-espace/communautes", signedIn, access.Posting(nil, url.Values{"frequency": {"weekly"}})),
		access.For("site GET /mon-espace/communautes/desabonnement/{token}", holders,
			access.Fixed(access.Named("token", "communities-token"))).Secret("token"),
		access.For("site POST /mon-espace/communautes/desabonnement/{token}", holders,
			access.Fixed(access.Named("token", "communities-token"))).Secret("token"),
		access.For("site GET /gestion/communautes", staff, nil),
		access.For("site GET /gestion/communautes/nouvelle", staff, nil),
		access.For("site POST /gestion/communautes", staff, access.Posting(nil, url.Values{"name": {""}})),
		access.For("site GET /gestion/communautes/{id}", staff, access.Fixed(id)),
		access.For("site POST /gestion/communautes/{id}", staff, access.Posting(id, url.Values{"name": {""}})),
		access.For("site POST /gestion/communautes/{id}/supprimer", staff, access.Taken("id", "communities-spare")).Renewed(),
		access.For("site POST /gestion/communautes/{id}/animateurs", staff, access.Posting(id, url.Values{"email": {""}})),
		access.For("site POST /gestion/communautes/{id}/animateurs/{user}/retirer", staff, pair("communities-animator", "user")).Renewed(),
	}
}

// AccessFixtures implements kernel.AccessFixtured: the matrix's
// community, animated by the town's demo resident, with announcements
// and attached publications to remove, communities to delete, animators
// to remove, and a digest link.
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	cm := &communities.Community{TenantID: town.ID, Slug: matrixSlug, Name: "Communauté de la matrice", Kind: communities.Interest}
	if err := c.Store.Create(ctx, cm); err != nil {
		return err
	}
	f.Set("communities-id", cm.ID)
	owner, err := c.k.Accounts.ByEmail(ctx, town.ID, f.Owner())
	if err != nil {
		return err
	}
	if _, err := c.Store.NameAnimator(ctx, town.ID, cm.ID, owner.Email); err != nil {
		return err
	}
	f.Set("communities-token", c.Store.UnsubscribeToken(town.ID, owner.ID))
	if err := f.Fill("communities-post", f.Uses(), func() (string, error) {
		p := &communities.Post{TenantID: town.ID, CommunityID: cm.ID, Title: fmt.Sprintf("Annonce %d", f.Next()), Body: "À retirer."}
		err := c.Store.AddPost(ctx, p)
		return matrixSlug + " " + p.ID, err
	}); err != nil {
		return err
	}
	if err := f.Fill("communities-link", f.Uses(), func() (string, error) {
		n := f.Next()
		it := kernel.Publication{Kind: communities.ItemNews, ID: fmt.Sprintf("matrice-%d", n), Title: fmt.Sprintf("Actualité %d", n),
			Path: "/actualites", Published: c.k.Now()}
		if err := c.Store.Attach(ctx, town.ID, cm.ID, it); err != nil {
			return "", err
		}
		links, err := c.Store.Links(ctx, town.ID, cm.ID, 1)
		if err != nil || len(links) == 0 {
			return "", fmt.Errorf("no link attached: %v", err)
		}
		return matrixSlug + " " + links[0].ID, nil
	}); err != nil {
		return err
	}
	spare := func(what string) (*communities.Community, error) {
		s := &communities.Community{TenantID: town.ID, Name: fmt.Sprintf("%s %d de la matrice", what, f.Next()), Kind: communities.Interest}
		return s, c.Store.Create(ctx, s)
	}
	if err := f.Fill("communities-spare", f.Uses(), func() (string, error) {
		s, err := spare("Communauté à supprimer")
		return s.ID, err
	}); err != nil {
		return err
	}
	return f.Fill("communities-animator", f.Uses(), func() (string, error) {
		s, err := spare("Communauté animée")
		if err != nil {
			return "", err
		}
		a, err := c.Store.NameAnimator(ctx, town.ID, s.ID, "habitant@courriel.localhost")
		if err != nil {
			return "", err
		}
		return s.ID + " " + a.UserID, nil
	})
}
