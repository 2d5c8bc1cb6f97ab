package news_test

import (
	"context"
	"testing"

	"guichet/internal/capability/news"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// TestGenerateWritesWhatSavesWrite generates news twice with the same
// count (so the same titles) and reads it back as visitors and editors
// do: public pages by slug, the search, each item's revision.
func TestGenerateWritesWhatSavesWrite(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{tenant.Migrations, search.Migrations, news.Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		tn, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "gen", Name: "Commune générée", Kind: tenant.KindCommune})
		if err != nil {
			t.Fatal(err)
		}
		s := news.NewStore(d)
		s.Now = dbtest.Clock(t)
		// The same count twice gives the same titles; the last run spans
		// more than one transaction.
		for _, n := range []int{30, 30, 2001} {
			calls := 0
			if err := s.Generate(ctx, tn.ID, n, func() { calls++ }); err != nil {
				t.Fatalf("%d: %v", n, err)
			}
			if calls != n {
				t.Errorf("%d: progress called %d times", n, calls)
			}
		}
		list, _, err := s.ListPublic(ctx, tn.ID, publishing.ListFilter{Limit: 100})
		if err != nil || len(list) != 100 {
			t.Fatalf("news list: %d items, %v", len(list), err)
		}
		slugs := map[string]bool{}
		for _, n := range list {
			got, err := s.Public(ctx, tn.ID, n.Slug)
			if err != nil || got.ID != n.ID || slugs[n.Slug] {
				t.Fatalf("news %s by slug %q: %v", n.ID, n.Slug, err)
			}
			slugs[n.Slug] = true
			revs, err := s.Revisions(ctx, tn.ID, n.ID)
			if err != nil || len(revs) != 1 || revs[0].Title != n.Title || revs[0].Action != "published" || len(revs[0].Body) < 100 {
				t.Fatalf("revisions of %s: %+v, %v", n.ID, revs, err)
			}
		}
		page, err := s.Search.Search(ctx, search.Query{TenantID: tn.ID, Text: "travaux", Kinds: []string{news.Kind}})
		if err != nil || len(page.Hits) == 0 {
			t.Fatalf("search of the news: %v, %v", page, err)
		}
		if n, err := s.ByID(ctx, tn.ID, page.Hits[0].ID); err != nil || page.Hits[0].URL != n.URL() {
			t.Errorf("hit %+v is not the item's: %v", page.Hits[0], err)
		}
	})
}
