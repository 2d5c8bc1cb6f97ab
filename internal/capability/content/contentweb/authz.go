package contentweb

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"guichet/internal/capability/content"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/tokens"
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
		access.For("site GET /alertes", public, nil),
		access.For("site GET /alertes/flux.atom", public, nil),
		access.For("site POST /alertes/abonnement", public, posting(nil, url.Values{"email": {"pas-une-adresse"}})),
		// The confirmation links' pages show what the button does; the button does it.
		access.For("site GET /alertes/confirmer/{token}", holders, taken("token", "subscription")).Renewed().Secret("token"),
		access.For("site POST /alertes/confirmer/{token}", holders, taken("token", "subscription")).Renewed().Secret("token"),
		// Unsubscribing answers the same to any link: it tells nobody who subscribed.
		access.For("site GET /alertes/desabonnement/{token}", holders, fixed(named("token", "unsubscribe"))),
		access.For("site POST /alertes/desabonnement/{token}", holders, taken("token", "unsubscribe")).Renewed(),
		access.For("site GET /medias/{id}", public, fixed(named("id", "media"))),
		access.For("site GET /api/v1/news", public, nil),
		access.For("site GET /api/v1/news/{id}", public, fixed(named("id", "news"))),
		access.For("site GET /api/v1/events", public, nil),
		access.For("site GET /api/v1/events/{id}", public, fixed(named("id", "event"))),
		access.For("site GET /api/v1/alerts", public, nil),

		access.For("site GET /gestion/alertes", editor, nil),
		access.For("site POST /gestion/alertes", editor, posting(nil, url.Values{"title": {""}})),
		access.For("site POST /gestion/alertes/quartiers", editor, func(f access.Fixtures) access.Call {
			return access.Call{Form: url.Values{"areas": {f.Get("areas")}}}
		}),
		access.For("site POST /gestion/alertes/{id}/retirer", editor, taken("id", "alert")).Renewed(),
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

// AccessFixtures implements kernel.AccessFixtured: published news, event
// and page with their first revision, registrations, alerts, subscribers
// and an image.
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	for _, fixture := range []func(context.Context, *tenant.Tenant, access.Fixtures) error{
		c.itemFixtures, c.alertFixtures, c.subscriberFixtures,
	} {
		if err := fixture(ctx, town, f); err != nil {
			return err
		}
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

// alertFixtures names the town's areas and publishes alerts to withdraw.
func (c *Capability) alertFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	s := c.Store
	areas, err := s.Areas(ctx, town.ID)
	if err != nil {
		return fmt.Errorf("areas: %w", err)
	}
	f.Set("areas", strings.Join(areas, "\n"))
	return f.Fill("alert", f.Uses(), func() (string, error) {
		a := &content.Alert{TenantID: town.ID, Title: fmt.Sprintf("Alerte %d de la matrice", f.Next()),
			Severity: content.SeverityInfo, Topic: "autre", Expires: s.Now().UTC().Add(48 * time.Hour), Author: matrixWho}
		return a.ID, s.PublishAlert(ctx, a, "")
	})
}

// subscriberFixtures subscribes addresses to the alerts. The confirmation
// links are mailed: the fixtures put their own token's hash where the
// mailed one's was.
func (c *Capability) subscriberFixtures(ctx context.Context, town *tenant.Tenant, f access.Fixtures) error {
	s := c.Store
	subscribe := func() (string, error) {
		email := fmt.Sprintf("abonne-%d@courriel.localhost", f.Next())
		return email, s.Subscribe(ctx, town.ID, email, []string{"eau"}, nil, "", "fr")
	}
	err := f.Fill("subscription", 2*f.Uses(), func() (string, error) {
		tok := fmt.Sprintf("jeton-de-confirmation-%d-de-la-matrice", f.Next())
		email, err := subscribe()
		if err != nil {
			return "", err
		}
		_, err = s.DB().Exec(ctx, `UPDATE content_subscribers SET confirm_hash = ? WHERE tenant_id = ? AND email = ?`,
			tokens.Hash(tok), town.ID, email)
		return tok, err
	})
	if err != nil {
		return fmt.Errorf("subscription: %w", err)
	}
	unsubscribeToken := func() (string, error) {
		email, err := subscribe()
		if err != nil {
			return "", err
		}
		var tok string
		err = s.DB().QueryRow(ctx, `SELECT unsubscribe_token FROM content_subscribers WHERE tenant_id = ? AND email = ?`,
			town.ID, email).Scan(&tok)
		return tok, err
	}
	tok, err := unsubscribeToken()
	if err != nil {
		return fmt.Errorf("subscription: %w", err)
	}
	f.Set("unsubscribe", tok)
	return f.Fill("unsubscribe", f.Uses(), unsubscribeToken)
}

// onePixelPNG is the smallest image the media library takes.
var onePixelPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
