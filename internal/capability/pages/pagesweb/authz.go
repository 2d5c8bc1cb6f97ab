package pagesweb

import (
	"context"
	"fmt"
	"net/url"

	"guichet/internal/capability/pages"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
)

// AccessRows implements kernel.Guarded: the public pages and the editors'.
func (c *Capability) AccessRows() []access.Row {
	public, editor := access.Public(), access.StaffOnly(account.RoleEditor)
	named, fixed, posting := access.Named, access.Fixed, access.Posting
	item := named("id", "page")
	rev := func(f access.Fixtures) access.Params {
		return access.Params{"id": f.Get("page"), "rev": f.Get("page-revision")}
	}
	return []access.Row{
		access.For("site GET /vie-pratique", public, nil),
		access.For("site GET /vie-pratique/{slug}", public, fixed(named("slug", "page-slug"))),
		access.For("site GET /gestion/pages", editor, nil),
		access.For("site GET /gestion/pages/nouvelle", editor, nil),
		access.For("site POST /gestion/pages/nouvelle", editor, posting(nil, url.Values{"title": {""}})),
		access.For("site GET /gestion/pages/{id}", editor, fixed(item)),
		access.For("site POST /gestion/pages/{id}", editor, posting(item, url.Values{"title": {""}})),
		access.For("site POST /gestion/pages/{id}/statut", editor, posting(item, url.Values{"status": {"inconnu"}})),
		access.For("site GET /gestion/pages/{id}/historique", editor, fixed(item)),
		access.For("site GET /gestion/pages/{id}/historique/{rev}", editor, fixed(rev)),
		// Restoring the first version of a page that never changed changes nothing.
		access.For("site POST /gestion/pages/{id}/historique/{rev}/restaurer", editor, posting(rev, nil)),
	}
}

// AccessFixtures implements kernel.AccessFixtured: a published page and
// its first revision.
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	pg := &pages.Page{TenantID: town.ID, Title: "Page de la matrice", Body: "Texte.", Status: publishing.StatusPublished}
	if err := c.Store.Save(ctx, pg, "Matrice", "published"); err != nil {
		return fmt.Errorf("page: %w", err)
	}
	f.Set("page", pg.ID)
	f.Set("page-slug", pg.Slug)
	revs, err := c.Store.Revisions(ctx, town.ID, pg.ID)
	if err != nil || len(revs) == 0 {
		return fmt.Errorf("page: no revision: %v", err)
	}
	f.Set("page-revision", revs[len(revs)-1].ID)
	return nil
}
