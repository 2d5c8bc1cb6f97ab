package news_test

import (
	"context"
	"testing"
	"time"

	"guichet/internal/capability/news"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// fixture is a news store on a fresh database with one collectivité, and
// a clock the test moves.
type fixture struct {
	s    *news.Store
	town *tenant.Tenant
	now  time.Time
}

func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	dbtest.Each(t, []db.Migrations{tenant.Migrations, search.Migrations, news.Migrations}, func(t *testing.T, d *db.DB) {
		town, err := tenant.NewStore(d).Create(context.Background(), tenant.Tenant{Slug: "ville", Name: "Commune de ville",
			Kind: tenant.KindCommune, INSEE: "86990", SIRET: "21869900700017", TimeZone: "Europe/Paris"})
		if err != nil {
			t.Fatal(err)
		}
		f := &fixture{s: news.NewStore(d), town: town, now: dbtest.Start(t).Truncate(time.Second)}
		f.s.Now = func() time.Time { return f.now }
		fn(t, f)
	})
}

func lastRevision(t *testing.T, f *fixture, itemID string) publishing.Revision {
	t.Helper()
	revs, err := f.s.Revisions(context.Background(), f.town.ID, itemID)
	if err != nil || len(revs) == 0 {
		t.Fatalf("revisions: %d, %v", len(revs), err)
	}
	return revs[0]
}

// TestRestoreRevision restores an earlier version of a news item: the text
// comes back as a new revision, and the publication stays what it is now.
func TestRestoreRevision(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		n := &news.News{TenantID: f.town.ID, Category: "travaux", Title: "Travaux rue Haute", Summary: "Trois semaines.",
			Body: "Première version."}
		if err := f.s.Save(ctx, n, "Rédaction", "created"); err != nil {
			t.Fatal(err)
		}
		first := lastRevision(t, f, n.ID)
		n.Title, n.Body, n.Status = "Travaux rue Basse", "Deuxième version.", publishing.StatusPublished
		if err := f.s.Save(ctx, n, "Rédaction", "published"); err != nil {
			t.Fatal(err)
		}
		got, err := f.s.Restore(ctx, f.town.ID, n.ID, first.ID, "Relecture")
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "Travaux rue Haute" || got.Body != "Première version." || got.Status != publishing.StatusPublished || !got.Public(f.now) {
			t.Errorf("restored news: %q %q %s", got.Title, got.Body, got.Status)
		}
		if r := lastRevision(t, f, n.ID); r.Action != publishing.ActionRestored || r.Author != "Relecture" || r.Title != "Travaux rue Haute" {
			t.Errorf("last revision: %+v", r)
		}
		if revs, _ := f.s.Revisions(ctx, f.town.ID, n.ID); len(revs) != 3 {
			t.Errorf("%d revisions, want 3", len(revs))
		}
	})
}
