package content_test

import (
	"context"
	"testing"

	"guichet/internal/capability/content"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing/search"
)

// TestGenerateWritesWhatSavesWrite generates content twice with the same
// counts (so the same titles) and reads it back as visitors and editors
// do: public pages by slug, the agenda, the search, each item's revision.
func TestGenerateWritesWhatSavesWrite(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{tenant.Migrations, search.Migrations, content.Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		tn, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "gen", Name: "Commune générée", Kind: tenant.KindCommune})
		if err != nil {
			t.Fatal(err)
		}
		s, loc := content.NewStore(d, nil), tn.Location()
		s.Now = dbtest.Clock(t)
		// The same counts twice give the same titles; the last run spans
		// more than one transaction.
		runs := []struct{ news, events int }{{30, 10}, {30, 10}, {2001, 0}}
		for _, r := range runs {
			calls := 0
			if err := s.Generate(ctx, tn.ID, loc, r.news, r.events, func() { calls++ }); err != nil {
				t.Fatalf("%+v: %v", r, err)
			}
			if calls != r.news+r.events {
				t.Errorf("%+v: progress called %d times", r, calls)
			}
		}
		list, _, err := s.ListPublicNews(ctx, tn.ID, content.NewsFilter{Limit: 100})
		if err != nil || len(list) != 100 {
			t.Fatalf("news list: %d items, %v", len(list), err)
		}
		slugs := map[string]bool{}
		for _, n := range list {
			got, err := s.PublicNews(ctx, tn.ID, n.Slug)
			if err != nil || got.ID != n.ID || slugs[n.Slug] {
				t.Fatalf("news %s by slug %q: %v", n.ID, n.Slug, err)
			}
			slugs[n.Slug] = true
			checkRevision(t, s, tn.ID, n.ID, n.Title)
		}
		dates, _, err := s.ListEvents(ctx, tn.ID, content.EventFilter{From: s.Now().AddDate(-2, 0, 0), Limit: 100})
		if err != nil || len(dates) != 20 {
			t.Fatalf("agenda: %d dates, want 20: %v", len(dates), err)
		}
		for _, d := range dates {
			e, err := s.PublicEvent(ctx, tn.ID, d.Slug)
			if err != nil || !e.Start.Equal(d.Occurrence.Start) || e.Place == "" {
				t.Fatalf("event %s by slug %q: %v", d.ID, d.Slug, err)
			}
			checkRevision(t, s, tn.ID, e.ID, e.Title)
		}
		page, err := s.Search.Search(ctx, search.Query{TenantID: tn.ID, Text: "travaux", Kinds: []string{content.KindEvent}})
		if err != nil || len(page.Hits) == 0 {
			t.Fatalf("search of the events: %v, %v", page, err)
		}
		if e, err := s.EventByID(ctx, tn.ID, page.Hits[0].ID); err != nil || page.Hits[0].URL != e.URL() {
			t.Errorf("hit %+v is not the event's: %v", page.Hits[0], err)
		}
	})
}

func checkRevision(t *testing.T, s *content.Store, tenantID, itemID, title string) {
	t.Helper()
	revs, err := s.Revisions(context.Background(), tenantID, itemID)
	if err != nil || len(revs) != 1 || revs[0].Title != title || revs[0].Action != "published" || len(revs[0].Body) < 100 {
		t.Fatalf("revisions of %s: %+v, %v", itemID, revs, err)
	}
}
