package events_test

import (
	"context"
	"testing"
	"time"

	"guichet/internal/capability/events"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// pubFixture is an events store on a fresh database with two collectivités,
// and a clock the test moves.
type pubFixture struct {
	s           *events.Store
	town, other *tenant.Tenant
	now         time.Time
	loc         *time.Location
}

func newPubFixture(t *testing.T, d *db.DB) *pubFixture {
	ctx := context.Background()
	ts := tenant.NewStore(d)
	mk := func(slug string) *tenant.Tenant {
		tn, err := ts.Create(ctx, tenant.Tenant{Slug: slug, Name: "Commune de " + slug, Kind: tenant.KindCommune,
			INSEE: "86990", SIRET: "21869900700017", TimeZone: "Europe/Paris"})
		if err != nil {
			t.Fatal(err)
		}
		return tn
	}
	f := &pubFixture{s: events.NewStore(d, nil), town: mk("ville"), other: mk("village"),
		now: dbtest.Start(t).Truncate(time.Second)}
	f.loc = f.town.Location()
	f.s.Now = func() time.Time { return f.now }
	return f
}

func eachPubDB(t *testing.T, fn func(t *testing.T, f *pubFixture)) {
	dbtest.Each(t, []db.Migrations{tenant.Migrations, search.Migrations, events.Migrations}, func(t *testing.T, d *db.DB) {
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
		event := func(title, status string, publishAt *time.Time) *events.Event {
			e := &events.Event{TenantID: f.town.ID, Category: "culture", Title: title, Place: "Salle des fêtes",
				Start: start, End: start.Add(2 * time.Hour), Status: status, PublishAt: publishAt}
			if err := f.s.Save(ctx, e, f.loc, "test", "created"); err != nil {
				t.Fatal(err)
			}
			return e
		}
		scheduledEvent := event("Concert programmé", publishing.StatusPublished, &at)
		draftEvent := event("Concert brouillon", publishing.StatusDraft, nil)
		publicEvent := event("Concert public", publishing.StatusPublished, nil)
		goneEvent := event("Concert retiré", publishing.StatusPublished, nil)
		if _, err := f.s.SetStatus(ctx, f.town.ID, goneEvent.ID, publishing.StatusUnpublished, false, f.loc, "test"); err != nil {
			t.Fatal(err)
		}

		visible := func() map[string]bool {
			seen := map[string]bool{}
			dates, _, err := f.s.List(ctx, f.town.ID, events.Filter{From: f.now})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range dates {
				seen["list:"+d.Title] = true
			}
			feed, err := f.s.AllPublic(ctx, f.town.ID, "", f.now, 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range feed {
				seen["feed:"+e.Title] = true
			}
			for _, e := range []*events.Event{scheduledEvent, draftEvent, publicEvent, goneEvent} {
				if _, err := f.s.Public(ctx, f.town.ID, e.Slug); err == nil {
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
		list := []string{"list", "feed", "page"}
		seen := visible()
		want(seen, list, []string{"Concert public"}, true)
		want(seen, list, []string{"Concert programmé", "Concert brouillon", "Concert retiré"}, false)

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
		want(seen, list, []string{"Concert public", "Concert programmé"}, true)
		want(seen, list, []string{"Concert brouillon", "Concert retiré"}, false)

		// Another collectivité sees none of them.
		if dates, _, err := f.s.List(ctx, f.other.ID, events.Filter{From: f.now}); err != nil || len(dates) != 0 {
			t.Errorf("the other collectivité's agenda: %d dates, %v", len(dates), err)
		}
		if _, err := f.s.Public(ctx, f.other.ID, publicEvent.Slug); err != publishing.ErrNotFound {
			t.Errorf("the other collectivité reads the event: %v", err)
		}

	})
}

// TestRestoreRevision restores an earlier version of an event: the text comes back as a new revision, and the
// publication stays what it is now.
func TestRestoreRevision(t *testing.T) {
	t.Parallel()
	eachPubDB(t, func(t *testing.T, f *pubFixture) {
		ctx := context.Background()
		// An unpublished event restored from its published version stays unpublished.
		start := f.now.Add(48 * time.Hour).Truncate(time.Hour)
		e := &events.Event{TenantID: f.town.ID, Category: "culture", Title: "Bal", Place: "Place de la Mairie",
			Start: start, End: start.Add(3 * time.Hour), Status: publishing.StatusPublished}
		if err := f.s.Save(ctx, e, f.loc, "Rédaction", "published"); err != nil {
			t.Fatal(err)
		}
		published := lastRevision(t, f, e.ID)
		e.Title, e.Place, e.Start, e.End = "Bal masqué", "Salle des fêtes", start.Add(24*time.Hour), start.Add(27*time.Hour)
		if err := f.s.Save(ctx, e, f.loc, "Rédaction", "edited"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.SetStatus(ctx, f.town.ID, e.ID, publishing.StatusUnpublished, false, f.loc, "Rédaction"); err != nil {
			t.Fatal(err)
		}
		ge, err := f.s.Restore(ctx, f.town.ID, e.ID, published.ID, f.loc, "Relecture")
		if err != nil {
			t.Fatal(err)
		}
		if ge.Title != "Bal" || ge.Place != "Place de la Mairie" || !ge.Start.Equal(start) || ge.Status != publishing.StatusUnpublished {
			t.Errorf("restored event: %q %q %v %s", ge.Title, ge.Place, ge.Start, ge.Status)
		}
		if _, err := f.s.Public(ctx, f.town.ID, e.Slug); err != publishing.ErrNotFound {
			t.Errorf("restoring published the event: %v", err)
		}

	})
}

func lastRevision(t *testing.T, f *pubFixture, itemID string) publishing.Revision {
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
		e := &events.Event{TenantID: f.town.ID, Category: "culture", Title: "Concert", Place: "Église",
			Start: start, End: start.Add(2 * time.Hour), Status: publishing.StatusPublished, PublishAt: &later}
		if err := f.s.Save(ctx, e, f.loc, "Rédaction", "scheduled"); err != nil {
			t.Fatal(err)
		}
		got, err := f.s.SetStatus(ctx, f.town.ID, e.ID, publishing.StatusUnpublished, false, f.loc, "Rédaction")
		if err != nil || got.Status != publishing.StatusUnpublished || got.PublishAt != nil {
			t.Fatalf("unpublished: %+v, %v", got, err)
		}
		got, err = f.s.SetStatus(ctx, f.town.ID, e.ID, publishing.StatusPublished, false, f.loc, "Rédaction")
		if err != nil || got.PublishAt == nil || !got.PublishAt.Equal(f.now) {
			t.Fatalf("published again: %+v, %v; want it public from now", got, err)
		}
		if _, err := f.s.Public(ctx, f.town.ID, e.Slug); err != nil {
			t.Errorf("published event not shown: %v", err)
		}
		if _, err := f.s.SetStatus(ctx, f.town.ID, e.ID, "archived", false, f.loc, "Rédaction"); err == nil {
			t.Error("an unknown status was accepted")
		}
	})
}
