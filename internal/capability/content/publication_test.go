package content_test

import (
	"context"
	"testing"
	"time"

	"guichet/internal/capability/content"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing/search"
)

// pubFixture is a content store on a fresh database with two collectivités,
// and a clock the test moves.
type pubFixture struct {
	s           *content.Store
	town, other *tenant.Tenant
	now         time.Time
	loc         *time.Location
}

func newPubFixture(t *testing.T, d *db.DB) *pubFixture {
	ctx := context.Background()
	ts := tenant.NewStore(d)
	mk := func(slug string) *tenant.Tenant {
		tn, err := ts.Create(ctx, tenant.Tenant{Slug: slug, Name: "Commune de " + slug, Kind: tenant.KindCommune,
			INSEE: "86990", SIRET: "21869900000012", TimeZone: "Europe/Paris"})
		if err != nil {
			t.Fatal(err)
		}
		return tn
	}
	f := &pubFixture{s: content.NewStore(d, nil), town: mk("ville"), other: mk("village"),
		now: dbtest.Start(t).Truncate(time.Second)}
	f.loc = f.town.Location()
	f.s.Now = func() time.Time { return f.now }
	return f
}

func eachPubDB(t *testing.T, fn func(t *testing.T, f *pubFixture)) {
	dbtest.Each(t, []db.Migrations{tenant.Migrations, search.Migrations, content.Migrations}, func(t *testing.T, d *db.DB) {
		fn(t, newPubFixture(t, d))
	})
}

// TestScheduledEventsStayHidden checks every public read of events:
// nothing shows a draft, an unpublished item or a scheduled one
// before its time, and a scheduled one shows by itself once its time comes.
func TestScheduledEventsStayHidden(t *testing.T) {
	t.Parallel()
	eachPubDB(t, func(t *testing.T, f *pubFixture) {
		ctx := context.Background()
		at := f.now.Add(3 * time.Hour)
		start := f.now.Add(72 * time.Hour).Truncate(time.Hour)
		event := func(title, status string, publishAt *time.Time) *content.Event {
			e := &content.Event{TenantID: f.town.ID, Category: "culture", Title: title, Place: "Salle des fêtes",
				Start: start, End: start.Add(2 * time.Hour), Status: status, PublishAt: publishAt}
			if err := f.s.SaveEvent(ctx, e, f.loc, "test", "created"); err != nil {
				t.Fatal(err)
			}
			return e
		}
		scheduledEvent := event("Concert programmé", content.StatusPublished, &at)
		draftEvent := event("Concert brouillon", content.StatusDraft, nil)
		publicEvent := event("Concert public", content.StatusPublished, nil)
		goneEvent := event("Concert retiré", content.StatusPublished, nil)
		if _, err := f.s.SetEventStatus(ctx, f.town.ID, goneEvent.ID, content.StatusUnpublished, false, f.loc, "test"); err != nil {
			t.Fatal(err)
		}

		visible := func() map[string]bool {
			seen := map[string]bool{}
			dates, _, err := f.s.ListEvents(ctx, f.town.ID, content.EventFilter{From: f.now})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range dates {
				seen["list:"+d.Title] = true
			}
			feed, err := f.s.AllPublicEvents(ctx, f.town.ID, "", f.now, 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range feed {
				seen["feed:"+e.Title] = true
			}
			for _, e := range []*content.Event{scheduledEvent, draftEvent, publicEvent, goneEvent} {
				if _, err := f.s.PublicEvent(ctx, f.town.ID, e.Slug); err == nil {
					seen["page:"+e.Title] = true
				}
			}
			return seen
		}
		want := func(seen map[string]bool, places []string, titles []string, shown bool) {
			t.Helper()
			for _, title := range titles {
				for _, where := range places {
					if key := where + ":" + title; seen[key] != shown {
						t.Errorf("%s: shown %v, want %v", key, seen[key], shown)
					}
				}
			}
		}
		events := []string{"list", "feed", "page"}
		seen := visible()
		want(seen, events, []string{"Concert public"}, true)
		want(seen, events, []string{"Concert programmé", "Concert brouillon", "Concert retiré"}, false)

		// Search runs on the real clock: the scheduled items are not found yet.
		for q, public := range map[string]string{"concert": "Concert public"} {
			res, err := f.s.Search.Search(ctx, search.Query{TenantID: f.town.ID, Text: q, Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) != 1 || res.Hits[0].Title != public {
				t.Errorf("search %q: %+v, want %q only", q, res.Hits, public)
			}
		}

		// The time comes: the scheduled ones appear, nothing else.
		f.now = at.Add(time.Minute)
		seen = visible()
		want(seen, events, []string{"Concert public", "Concert programmé"}, true)
		want(seen, events, []string{"Concert brouillon", "Concert retiré"}, false)

		// Another collectivité sees none of them.
		if dates, _, err := f.s.ListEvents(ctx, f.other.ID, content.EventFilter{From: f.now}); err != nil || len(dates) != 0 {
			t.Errorf("the other collectivité's agenda: %d dates, %v", len(dates), err)
		}
		if _, err := f.s.PublicEvent(ctx, f.other.ID, publicEvent.Slug); err != content.ErrNotFound {
			t.Errorf("the other collectivité reads the event: %v", err)
		}

	})
}

// TestRestoreRevision restores an earlier version of a news item and an
// event: the text comes back as a new revision, and the
// publication stays what it is now.
func TestRestoreRevision(t *testing.T) {
	t.Parallel()
	eachPubDB(t, func(t *testing.T, f *pubFixture) {
		ctx := context.Background()
		n := &content.News{TenantID: f.town.ID, Category: "travaux", Title: "Travaux rue Haute", Summary: "Trois semaines.",
			Body: "Première version."}
		if err := f.s.SaveNews(ctx, n, "Rédaction", "created"); err != nil {
			t.Fatal(err)
		}
		first := lastRevision(t, f, n.ID)
		n.Title, n.Body, n.Status = "Travaux rue Basse", "Deuxième version.", content.StatusPublished
		if err := f.s.SaveNews(ctx, n, "Rédaction", "published"); err != nil {
			t.Fatal(err)
		}
		got, err := f.s.RestoreNews(ctx, f.town.ID, n.ID, first.ID, "Relecture")
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "Travaux rue Haute" || got.Body != "Première version." || got.Status != content.StatusPublished || !got.Public(f.now) {
			t.Errorf("restored news: %q %q %s", got.Title, got.Body, got.Status)
		}
		if r := lastRevision(t, f, n.ID); r.Action != content.ActionRestored || r.Author != "Relecture" || r.Title != "Travaux rue Haute" {
			t.Errorf("last revision: %+v", r)
		}
		if revs, _ := f.s.Revisions(ctx, f.town.ID, n.ID); len(revs) != 3 {
			t.Errorf("%d revisions, want 3", len(revs))
		}

		// An unpublished event restored from its published version stays unpublished.
		start := f.now.Add(48 * time.Hour).Truncate(time.Hour)
		e := &content.Event{TenantID: f.town.ID, Category: "culture", Title: "Bal", Place: "Place de la Mairie",
			Start: start, End: start.Add(3 * time.Hour), Status: content.StatusPublished}
		if err := f.s.SaveEvent(ctx, e, f.loc, "Rédaction", "published"); err != nil {
			t.Fatal(err)
		}
		published := lastRevision(t, f, e.ID)
		e.Title, e.Place, e.Start, e.End = "Bal masqué", "Salle des fêtes", start.Add(24*time.Hour), start.Add(27*time.Hour)
		if err := f.s.SaveEvent(ctx, e, f.loc, "Rédaction", "edited"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.SetEventStatus(ctx, f.town.ID, e.ID, content.StatusUnpublished, false, f.loc, "Rédaction"); err != nil {
			t.Fatal(err)
		}
		ge, err := f.s.RestoreEvent(ctx, f.town.ID, e.ID, published.ID, f.loc, "Relecture")
		if err != nil {
			t.Fatal(err)
		}
		if ge.Title != "Bal" || ge.Place != "Place de la Mairie" || !ge.Start.Equal(start) || ge.Status != content.StatusUnpublished {
			t.Errorf("restored event: %q %q %v %s", ge.Title, ge.Place, ge.Start, ge.Status)
		}
		if _, err := f.s.PublicEvent(ctx, f.town.ID, e.Slug); err != content.ErrNotFound {
			t.Errorf("restoring published the event: %v", err)
		}

	})
}

func lastRevision(t *testing.T, f *pubFixture, itemID string) content.Revision {
	t.Helper()
	revs, err := f.s.Revisions(context.Background(), f.town.ID, itemID)
	if err != nil || len(revs) == 0 {
		t.Fatalf("revisions: %d, %v", len(revs), err)
	}
	return revs[0]
}

// TestEventStatusFollowsTheSharedRule: unpublishing an event forgets its
// date, so that publishing it again shows it at once, not at the date it
// was once scheduled for.
func TestEventStatusFollowsTheSharedRule(t *testing.T) {
	t.Parallel()
	eachPubDB(t, func(t *testing.T, f *pubFixture) {
		ctx := context.Background()
		later := f.now.Add(6 * time.Hour)
		start := f.now.Add(72 * time.Hour).Truncate(time.Hour)
		e := &content.Event{TenantID: f.town.ID, Category: "culture", Title: "Concert", Place: "Église",
			Start: start, End: start.Add(2 * time.Hour), Status: content.StatusPublished, PublishAt: &later}
		if err := f.s.SaveEvent(ctx, e, f.loc, "Rédaction", "scheduled"); err != nil {
			t.Fatal(err)
		}
		got, err := f.s.SetEventStatus(ctx, f.town.ID, e.ID, content.StatusUnpublished, false, f.loc, "Rédaction")
		if err != nil || got.Status != content.StatusUnpublished || got.PublishAt != nil {
			t.Fatalf("unpublished: %+v, %v", got, err)
		}
		got, err = f.s.SetEventStatus(ctx, f.town.ID, e.ID, content.StatusPublished, false, f.loc, "Rédaction")
		if err != nil || got.PublishAt == nil || !got.PublishAt.Equal(f.now) {
			t.Fatalf("published again: %+v, %v; want it public from now", got, err)
		}
		if _, err := f.s.PublicEvent(ctx, f.town.ID, e.Slug); err != nil {
			t.Errorf("published event not shown: %v", err)
		}
		if _, err := f.s.SetEventStatus(ctx, f.town.ID, e.ID, "archived", false, f.loc, "Rédaction"); err == nil {
			t.Error("an unknown status was accepted")
		}
	})
}
