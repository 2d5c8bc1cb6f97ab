package contentweb

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"guichet/internal/capability/content"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
)

// AccessRows implements kernel.Guarded: the public pages, feeds and API,
// the links mailed to people without an account, and the editors' back
// office.
func (c *Capability) AccessRows() []access.Row {
	public, holders := access.Public(), access.TokenHolders()
	editor := access.StaffOnly(account.RoleEditor)
	named, fixed, posting, taken := access.Named, access.Fixed, access.Posting, access.Taken
	rows := []access.Row{
		access.For("site GET /actualites", public, nil),
		access.For("site GET /actualites/flux.atom", public, nil),
		access.For("site GET /actualites/{slug}", public, fixed(named("slug", "news-slug"))),
		access.For("site GET /agenda", public, nil),
		access.For("site GET /agenda/archives", public, nil),
		access.For("site GET /agenda/flux.ics", public, nil),
		access.For("site GET /agenda/categorie/{cat}", public, fixed(func(access.Fixtures) access.Params {
			return access.Params{"cat": "culture.ics"}
		})),
		access.For("site GET /agenda/{slug}", public, fixed(named("slug", "event-slug"))),
		access.For("site POST /agenda/{slug}/inscription", public,
			posting(named("slug", "event-slug"), url.Values{"email": {"pas-une-adresse"}})),
		// The cancellation form asks for a click whatever the link: it shows nothing of the registration.
		access.For("site GET /inscriptions/{token}", holders, fixed(named("token", "registration"))),
		access.For("site POST /inscriptions/{token}", holders, taken("token", "registration")).Renewed().Secret("token"),
		access.For("site GET /medias/{id}", public, fixed(named("id", "media"))),
		access.For("site GET /api/v1/news", public, nil),
		access.For("site GET /api/v1/news/{id}", public, fixed(named("id", "news"))),
		access.For("site GET /api/v1/events", public, nil),
		access.For("site GET /api/v1/events/{id}", public, fixed(named("id", "event"))),
	}
	// News and events share the editors' routes.
	for _, k := range []struct{ path, kind, created string }{
		{"/gestion/actualites", "news", "nouvelle"}, {"/gestion/agenda", "event", "nouveau"},
	} {
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
// and event with their first revision, registrations and an image.
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

// itemFixtures publishes a news item and an event open to registration,
// and names their latest revision.
func (c *Capability) itemFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	s, loc := c.Store, town.Location()
	n := &content.News{TenantID: town.ID, Category: "culture", Title: "Actualité de la matrice", Body: "Texte.",
		Status: content.StatusPublished}
	if err := s.SaveNews(ctx, n, matrixWho, "published"); err != nil {
		return fmt.Errorf("news: %w", err)
	}
	f.Set("news", n.ID)
	f.Set("news-slug", n.Slug)
	start := s.Now().UTC().Add(72 * time.Hour).Truncate(time.Hour)
	e := &content.Event{TenantID: town.ID, Category: "culture", Title: "Soirée de la matrice", Place: "Salle des fêtes",
		Start: start, End: start.Add(2 * time.Hour), Registration: true, Capacity: 100, Status: content.StatusPublished}
	if err := s.SaveEvent(ctx, e, loc, matrixWho, "published"); err != nil {
		return fmt.Errorf("event: %w", err)
	}
	f.Set("event", e.ID)
	f.Set("event-slug", e.Slug)
	for _, kind := range []string{"news", "event"} {
		revs, err := s.Revisions(ctx, town.ID, f.Get(kind))
		if err != nil {
			return fmt.Errorf("revisions: %w", err)
		}
		if len(revs) == 0 {
			return fmt.Errorf("%s: no revision", kind)
		}
		f.Set(kind+"-revision", revs[len(revs)-1].ID)
	}
	register := func() (string, error) {
		_, tok, err := s.Register(ctx, town.ID, content.RegistrationRequest{Slug: e.Slug, Name: "Inscrite",
			Email: fmt.Sprintf("inscrite-%d@courriel.localhost", f.Next()), Loc: loc})
		return tok, err
	}
	tok, err := register()
	if err != nil {
		return fmt.Errorf("registration: %w", err)
	}
	f.Set("registration", tok)
	return f.Fill("registration", f.Uses(), register)
}

// onePixelPNG is the smallest image the media library takes.
var onePixelPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
