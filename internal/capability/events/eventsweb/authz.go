package eventsweb

import (
	"context"
	"fmt"
	"guichet/internal/capability/events"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/access"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
	"net/url"
	"time"
)

// AccessRows implements kernel.Guarded: the agenda, its feeds and API,
// the registration form and the cancellation links mailed to those
// registered, and the editors' pages.
func (c *Capability) AccessRows() []access.Row {
	public, holders := access.Public(), access.TokenHolders()
	editor := access.StaffOnly(account.RoleEditor)
	named, fixed, posting, taken := access.Named, access.Fixed, access.Posting, access.Taken
	item := named("id", "event")
	rev := func(f access.Fixtures) access.Params {
		return access.Params{"id": f.Get("event"), "rev": f.Get("event-revision")}
	}
	return []access.Row{
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
		access.For("site GET /api/v1/events", public, nil),
		access.For("site GET /api/v1/events/{id}", public, fixed(named("id", "event"))),
		access.For("site GET /gestion/agenda", editor, nil),
		access.For("site GET /gestion/agenda/nouveau", editor, nil),
		access.For("site POST /gestion/agenda/nouveau", editor, posting(nil, url.Values{"title": {""}})),
		access.For("site GET /gestion/agenda/{id}", editor, fixed(item)),
		access.For("site POST /gestion/agenda/{id}", editor, posting(item, url.Values{"title": {""}})),
		access.For("site POST /gestion/agenda/{id}/statut", editor, posting(item, url.Values{"status": {"inconnu"}})),
		access.For("site GET /gestion/agenda/{id}/historique", editor, fixed(item)),
		access.For("site GET /gestion/agenda/{id}/historique/{rev}", editor, fixed(rev)),
		// Restoring the first version of an event that never changed changes nothing.
		access.For("site POST /gestion/agenda/{id}/historique/{rev}/restaurer", editor, posting(rev, nil)),
	}
}

// matrixWho signs the fixtures' changes.
const matrixWho = "Matrice"

// AccessFixtures implements kernel.AccessFixtured: a published event open
// to registration, its first revision, and registrations to cancel.
func (c *Capability) AccessFixtures(ctx context.Context, town, _ *tenant.Tenant, f access.Fixtures) error {
	s, loc := c.Store, town.Location()
	start := s.Now().UTC().Add(72 * time.Hour).Truncate(time.Hour)
	e := &events.Event{TenantID: town.ID, Category: "culture", Title: "Soirée de la matrice", Place: "Salle des fêtes",
		Start: start, End: start.Add(2 * time.Hour), Registration: true, Capacity: 100, Status: publishing.StatusPublished}
	if err := s.Save(ctx, e, loc, matrixWho, "published"); err != nil {
		return fmt.Errorf("event: %w", err)
	}
	f.Set("event", e.ID)
	f.Set("event-slug", e.Slug)
	revs, err := s.Revisions(ctx, town.ID, e.ID)
	if err != nil || len(revs) == 0 {
		return fmt.Errorf("event: no revision: %v", err)
	}
	f.Set("event-revision", revs[len(revs)-1].ID)
	register := func() (string, error) {
		_, tok, err := s.Register(ctx, town.ID, events.RegistrationRequest{Slug: e.Slug, Name: "Inscrite",
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
