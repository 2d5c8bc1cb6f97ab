package events_test

import (
	"context"
	"testing"

	"guichet/internal/capability/events"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing/search"
)

// TestGenerateWritesWhatSavesWrite generates events twice with the same
// count (so the same titles) and reads them back as visitors and editors
// do: the agenda, each event by slug, the search, each event's revision.
func TestGenerateWritesWhatSavesWrite(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{tenant.Migrations, search.Migrations, events.Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		tn, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "gen", Name: "Commune générée", Kind: tenant.KindCommune})
		if err != nil {
			t.Fatal(err)
		}
		s, loc := events.NewStore(d, nil), tn.Location()
		s.Now = dbtest.Clock(t)
		for _, n := range []int{30, 30} {
			calls := 0
			if err := s.Generate(ctx, tn.ID, loc, n, func() { calls++ }); err != nil {
				t.Fatalf("%d: %v", n, err)
			}
			if calls != n {
				t.Errorf("%d: progress called %d times", n, calls)
			}
		}
		dates, _, err := s.List(ctx, tn.ID, events.Filter{From: s.Now().AddDate(-2, 0, 0), Limit: 100})
		if err != nil || len(dates) != 60 {
			t.Fatalf("agenda: %d dates, want 60: %v", len(dates), err)
		}
		slugs := map[string]bool{}
		for _, d := range dates {
			e, err := s.Public(ctx, tn.ID, d.Slug)
			if err != nil || !e.Start.Equal(d.Occurrence.Start) || e.Place == "" || slugs[d.Slug] {
				t.Fatalf("event %s by slug %q: %v", d.ID, d.Slug, err)
			}
			slugs[d.Slug] = true
			revs, err := s.Revisions(ctx, tn.ID, e.ID)
			if err != nil || len(revs) != 1 || revs[0].Title != e.Title || revs[0].Action != "published" || len(revs[0].Body) < 100 {
				t.Fatalf("revisions of %s: %+v, %v", e.ID, revs, err)
			}
		}
		page, err := s.Search.Search(ctx, search.Query{TenantID: tn.ID, Text: "travaux", Kinds: []string{events.Kind}})
		if err != nil || len(page.Hits) == 0 {
			t.Fatalf("search of the events: %v, %v", page, err)
		}
		if e, err := s.ByID(ctx, tn.ID, page.Hits[0].ID); err != nil || page.Hits[0].URL != e.URL() {
			t.Errorf("hit %+v is not the event's: %v", page.Hits[0], err)
		}
	})
}
