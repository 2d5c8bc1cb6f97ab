package newsweb

import (
	"context"
	"fmt"
	"net/url"

	"guichet/internal/capability/news"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
)

// AccessRows implements kernel.Guarded: the public pages, feeds and API,
// the links mailed to people without an account, and the editors' back
// office.
func (c *Capability) AccessRows() []access.Row {
	public := access.Public()
	editor := access.StaffOnly(account.RoleEditor)
	named, fixed, posting := access.Named, access.Fixed, access.Posting
	rows := []access.Row{
		access.For("site GET /actualites", public, nil),
		access.For("site GET /actualites/flux.atom", public, nil),
		access.For("site GET /actualites/{slug}", public, fixed(named("slug", "news-slug"))),
		access.For("site GET /medias/{id}", public, fixed(named("id", "media"))),
		access.For("site GET /api/v1/news", public, nil),
		access.For("site GET /api/v1/news/{id}", public, fixed(named("id", "news"))),
	}
	for _, k := range []struct{ path, kind, created string }{{"/gestion/actualites", "news", "nouvelle"}} {
		item := named("id", k.kind)
		rev := func(f access.Fixtures) access.Params {
			return access.Params{"id": f.Get(k.kind), "rev": f.Get(k.kind + "-revision")}
		}
		rows = append(rows,
			access.For("site GET "+k.path, editor, nil),
			access.For("site GET "+k.path+"/"+k.created, editor, nil),
			access.For("site POST "+k.path+"/"+k.created, editor, posting(nil, url.Values{"title": {""}})),
			access.For("site GET "+k.path+"/{id}", editor, fixed(item)),
			access.For("site POST "+k.path+"/{id}", editor, posting(item, url.Values{"title": {""}})),
			access.For("site POST "+k.path+"/{id}/statut", editor, posting(item, url.Values{"status": {"inconnu"}})),
			access.For("site GET "+k.path+"/{id}/historique", editor, fixed(item)),
			access.For("site GET "+k.path+"/{id}/historique/{rev}", editor, fixed(rev)),
			// Restoring the first version of an item that never changed changes nothing.
			access.For("site POST "+k.path+"/{id}/historique/{rev}/restaurer", editor, posting(rev, nil)),
		)
	}
	return rows
}

// matrixWho signs the fixtures' changes.
const matrixWho = "Matrice"

// AccessFixtures implements kernel.AccessFixtured: a published news item
// with its first revision, and an image.
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	if err := c.itemFixtures(ctx, town, f); err != nil {
		return err
	}
	media, err := c.Store.SaveImage(ctx, town.ID, onePixelPNG)
	if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	f.Set("media", media)
	return nil
}

// itemFixtures publishes a news item and names its first revision.
func (c *Capability) itemFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	s := c.Store
	n := &news.News{TenantID: town.ID, Category: "culture", Title: "Actualité de la matrice", Body: "Texte.",
		Status: publishing.StatusPublished}
	if err := s.Save(ctx, n, matrixWho, "published"); err != nil {
		return fmt.Errorf("news: %w", err)
	}
	f.Set("news", n.ID)
	f.Set("news-slug", n.Slug)
	for _, kind := range []string{"news"} {
		revs, err := s.Revisions(ctx, town.ID, f.Get(kind))
		if err != nil {
			return fmt.Errorf("revisions: %w", err)
		}
		if len(revs) == 0 {
			return fmt.Errorf("%s: no revision", kind)
		}
		f.Set(kind+"-revision", revs[len(revs)-1].ID)
	}
	return nil
}

// onePixelPNG is the smallest image the media library takes.
var onePixelPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
