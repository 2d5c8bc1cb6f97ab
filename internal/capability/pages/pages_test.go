package pages_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/pages"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// fixture is a pages store on a fresh database with two collectivités,
// and a clock the test moves.
type fixture struct {
	s           *pages.Store
	town, other *tenant.Tenant
	now         time.Time
}

func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	dbtest.Each(t, []db.Migrations{tenant.Migrations, search.Migrations, pages.Migrations}, func(t *testing.T, d *db.DB) {
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
		f := &fixture{s: pages.NewStore(d), town: mk("ville"), other: mk("village"), now: dbtest.Start(t).Truncate(time.Second)}
		f.s.Now = func() time.Time { return f.now }
		fn(t, f)
	})
}

func (f *fixture) save(t *testing.T, p *pages.Page, action string) *pages.Page {
	t.Helper()
	if p.TenantID == "" {
		p.TenantID = f.town.ID
	}
	if err := f.s.Save(context.Background(), p, "Rédaction", action); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestScheduledPagesStayHidden checks every public read of pages: the menu,
// the page and search show no draft, no unpublished page and no scheduled
// one before its time; a scheduled one shows by itself once its time comes.
func TestScheduledPagesStayHidden(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		at := f.now.Add(3 * time.Hour)
		page := func(title, status string, publishAt *time.Time) *pages.Page {
			return f.save(t, &pages.Page{Title: title, Body: "Horaires d'ouverture.", Status: status, PublishAt: publishAt}, "created")
		}
		scheduled := page("Piscine programmée", publishing.StatusPublished, &at)
		draft := page("Piscine brouillon", publishing.StatusDraft, nil)
		public := page("Piscine publique", publishing.StatusPublished, nil)
		gone := page("Piscine retirée", publishing.StatusPublished, nil)
		if _, err := f.s.SetStatus(ctx, f.town.ID, gone.ID, publishing.StatusUnpublished, nil, "test"); err != nil {
			t.Fatal(err)
		}
		visible := func() map[string]bool {
			seen := map[string]bool{}
			menu, err := f.s.Menu(ctx, f.town.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range menu {
				seen["menu:"+p.Title] = true
			}
			for _, p := range []*pages.Page{scheduled, draft, public, gone} {
				_, err := f.s.Public(ctx, f.town.ID, p.Slug)
				if err == nil {
					seen["page:"+p.Title] = true
				}
				if _, _, withMenu := f.s.PublicWithMenu(ctx, f.town.ID, p.Slug); (withMenu == nil) != (err == nil) {
					t.Errorf("%s: read alone %v, with the menu %v", p.Title, err, withMenu)
				}
			}
			return seen
		}
		want := func(seen map[string]bool, titles []string, shown bool) {
			t.Helper()
			for _, title := range titles {
				for _, where := range []string{"menu", "page"} {
					if key := where + ":" + title; seen[key] != shown {
						t.Errorf("%s: shown %v, want %v", key, seen[key], shown)
					}
				}
			}
		}
		seen := visible()
		want(seen, []string{"Piscine publique"}, true)
		want(seen, []string{"Piscine programmée", "Piscine brouillon", "Piscine retirée"}, false)

		// Search runs on the real clock: the scheduled page is not found yet.
		res, err := f.s.Search.Search(ctx, search.Query{TenantID: f.town.ID, Text: "piscine", Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 1 || res.Hits[0].Title != "Piscine publique" {
			t.Errorf("search: %+v, want the public page only", res.Hits)
		}

		// The time comes: the scheduled one appears, nothing else.
		f.now = at.Add(time.Minute)
		seen = visible()
		want(seen, []string{"Piscine publique", "Piscine programmée"}, true)
		want(seen, []string{"Piscine brouillon", "Piscine retirée"}, false)

		// Another collectivité sees none of them.
		if menu, err := f.s.Menu(ctx, f.other.ID); err != nil || len(menu) != 0 {
			t.Errorf("the other collectivité's menu: %d pages, %v", len(menu), err)
		}
		if _, err := f.s.Public(ctx, f.other.ID, public.Slug); err != publishing.ErrNotFound {
			t.Errorf("the other collectivité reads the page: %v", err)
		}
	})
}

// TestUnpublishHidesAtOnce takes a published page down.
func TestUnpublishHidesAtOnce(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		p := f.save(t, &pages.Page{Title: "État civil", Body: "Horaires.", Status: publishing.StatusPublished}, "published")
		if _, err := f.s.Public(ctx, f.town.ID, p.Slug); err != nil {
			t.Fatalf("published page not shown: %v", err)
		}
		f.now = f.now.Add(time.Minute) // the history is in order of time
		got, err := f.s.SetStatus(ctx, f.town.ID, p.ID, publishing.StatusUnpublished, nil, "test")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != publishing.StatusUnpublished || got.PublishAt != nil {
			t.Errorf("after unpublishing: %s at %v", got.Status, got.PublishAt)
		}
		if _, err := f.s.Public(ctx, f.town.ID, p.Slug); err != publishing.ErrNotFound {
			t.Errorf("unpublished page still shown: %v", err)
		}
		revs, err := f.s.Revisions(ctx, f.town.ID, p.ID)
		if err != nil || len(revs) != 2 || revs[0].Action != "unpublished" {
			t.Errorf("history after unpublishing: %+v, %v", revs, err)
		}
		if _, err := f.s.SetStatus(ctx, f.other.ID, p.ID, publishing.StatusPublished, nil, "test"); err != publishing.ErrNotFound {
			t.Errorf("another collectivité published the page: %v", err)
		}
		if _, err := f.s.SetStatus(ctx, f.town.ID, p.ID, "archived", nil, "test"); err == nil {
			t.Error("an unknown status was accepted")
		}
	})
}

// TestRestoreRevision brings an earlier version of a page back as a new
// revision, its publication unchanged; a revision of another item, kind
// or collectivité is not found.
func TestRestoreRevision(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		p := f.save(t, &pages.Page{Title: "Déchèterie", Body: "Ouverte le samedi.", MenuOrder: 3}, "created")
		revs, err := f.s.Revisions(ctx, f.town.ID, p.ID)
		if err != nil || len(revs) != 1 {
			t.Fatalf("revisions: %+v, %v", revs, err)
		}
		first := revs[0]
		// A news item's revision, in the shared table.
		newsRev := "22222222-2222-2222-2222-222222222222"
		if _, err := f.s.DB().Exec(ctx, `INSERT INTO content_revisions (id, tenant_id, item_id, kind, author, action, title, body, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, newsRev, f.town.ID, "33333333-3333-3333-3333-333333333333", "news", "test", "edited", "Actualité", `{"Title":"Actualité","Body":"x"}`,
			f.now); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ name, tenantID, rev string }{
			{"a news revision on a page", f.town.ID, newsRev},
			{"the revision of a page of another collectivité", f.other.ID, first.ID},
			{"an unknown revision", f.town.ID, "00000000-0000-0000-0000-000000000000"},
		} {
			if _, err := f.s.Restore(ctx, c.tenantID, p.ID, c.rev, "test"); err != publishing.ErrNotFound {
				t.Errorf("%s: %v, want not found", c.name, err)
			}
		}
		if _, err := f.s.Revision(ctx, f.other.ID, pages.Kind, p.ID, first.ID); err != publishing.ErrNotFound {
			t.Errorf("another collectivité reads the revision: %v", err)
		}
		p.Body, p.MenuOrder = "Ouverte le samedi et le mercredi.", 5
		f.save(t, p, "edited")
		got, err := f.s.Restore(ctx, f.town.ID, p.ID, first.ID, "Relecture")
		if err != nil || got.Body != "Ouverte le samedi." || got.MenuOrder != 3 || got.Status != publishing.StatusDraft {
			t.Errorf("restored page: %+v, %v", got, err)
		}
		if revs, _ := f.s.Revisions(ctx, f.town.ID, p.ID); len(revs) != 3 || revs[0].Action != publishing.ActionRestored || revs[0].Author != "Relecture" {
			t.Errorf("history after restoring: %+v", revs)
		}
	})
}

// TestRestoreValidates refuses a revision that today's rules reject, as a
// save would, and leaves the page as it is.
func TestRestoreValidates(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		p := f.save(t, &pages.Page{Title: "Cimetière", Body: "Horaires d'été.", Status: publishing.StatusPublished}, "published")
		// A version saved under older, looser rules: no text at all.
		if _, err := f.s.DB().Exec(ctx, `INSERT INTO content_revisions (id, tenant_id, item_id, kind, author, action, title, body, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, "11111111-1111-1111-1111-111111111111", f.town.ID, p.ID, pages.Kind,
			"ancien", "edited", "Cimetière", `{"Title":"Cimetière","Body":"   ","MenuOrder":2}`, f.now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		_, err := f.s.Restore(ctx, f.town.ID, p.ID, "11111111-1111-1111-1111-111111111111", "Relecture")
		var e *guichet.Error
		if !errors.As(err, &e) || e.Fields["body"] == "" {
			t.Fatalf("restore of an empty text: %v, want a field error on body", err)
		}
		got, err := f.s.ByID(ctx, f.town.ID, p.ID)
		if err != nil || got.Body != "Horaires d'été." || got.MenuOrder != 0 {
			t.Errorf("the page changed: %+v, %v", got, err)
		}
		if revs, _ := f.s.Revisions(ctx, f.town.ID, p.ID); len(revs) != 2 {
			t.Errorf("%d revisions, want 2 (nothing recorded)", len(revs))
		}
	})
}

// TestEasyReadVersion keeps a page's easy-to-read (FALC) version through
// saves, public reads and a restore, and bounds its length as the text's.
func TestEasyReadVersion(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		first := "La mairie est ouverte le matin."
		p := f.save(t, &pages.Page{Title: "Mairie", Body: "Ouverte de 8 h 30 à 12 h.", EasyRead: first, Status: publishing.StatusPublished}, "published")
		got, err := f.s.Public(ctx, f.town.ID, p.Slug)
		if err != nil || got.EasyRead != first {
			t.Fatalf("public page's easy-to-read version: %+v, %v", got, err)
		}
		revs, err := f.s.Revisions(ctx, f.town.ID, p.ID)
		if err != nil || len(revs) != 1 {
			t.Fatalf("revisions: %+v, %v", revs, err)
		}
		p.EasyRead = "La mairie est ouverte le matin.\n\nElle est fermée le dimanche."
		f.save(t, p, "edited")
		if got, _ := f.s.ByID(ctx, f.town.ID, p.ID); got.EasyRead != p.EasyRead {
			t.Errorf("edited easy-to-read version: %q", got.EasyRead)
		}
		if got, err := f.s.Restore(ctx, f.town.ID, p.ID, revs[0].ID, "Relecture"); err != nil || got.EasyRead != first {
			t.Errorf("restored easy-to-read version: %+v, %v", got, err)
		}
		long := &pages.Page{TenantID: f.town.ID, Title: "Trop long", Body: "Court.", EasyRead: strings.Repeat("a", 50001)}
		var e *guichet.Error
		if err := f.s.Save(ctx, long, "Rédaction", "created"); !errors.As(err, &e) || e.Fields["easy_read"] == "" {
			t.Errorf("an easy-to-read version of 50,001 characters: %v, want a field error on easy_read", err)
		}
	})
}

// TestPageWithMenuReadsWhatBothDo compares the page and its menu read in
// one statement with the page and the menu read apart, for every page of a
// menu longer than the menu's limit: the page past it is still found.
func TestPageWithMenuReadsWhatBothDo(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		var all []*pages.Page
		for i := range 201 {
			all = append(all, f.save(t, &pages.Page{Title: fmt.Sprintf("Page %03d", i), Summary: "Résumé", Body: fmt.Sprintf("Texte %d.", i),
				TitleEN: fmt.Sprintf("Page %d", i), BodyEN: "Text.", MenuOrder: i, Status: publishing.StatusPublished}, "published"))
		}
		menu, err := f.s.Menu(ctx, f.town.ID)
		if err != nil || len(menu) != 200 {
			t.Fatalf("menu: %d pages, %v", len(menu), err)
		}
		for _, p := range []*pages.Page{all[0], all[117], all[199], all[200]} {
			alone, err := f.s.Public(ctx, f.town.ID, p.Slug)
			if err != nil {
				t.Fatal(err)
			}
			page, withMenu, err := f.s.PublicWithMenu(ctx, f.town.ID, p.Slug)
			if err != nil {
				t.Fatalf("%s: %v", p.Title, err)
			}
			if page.ID != alone.ID || page.Title != alone.Title || page.Summary != alone.Summary || page.Body != alone.Body ||
				page.TitleEN != alone.TitleEN || page.BodyEN != alone.BodyEN {
				t.Errorf("%s: read with the menu %+v, alone %+v", p.Title, *page, *alone)
			}
			if len(withMenu) != len(menu) {
				t.Fatalf("%s: a menu of %d pages, want %d", p.Title, len(withMenu), len(menu))
			}
			for i := range menu {
				a, b := *withMenu[i], *menu[i]
				if a.PublishAt == nil || b.PublishAt == nil || !a.PublishAt.Equal(*b.PublishAt) {
					t.Fatalf("%s: menu entry %d published at %v, want %v", p.Title, i, a.PublishAt, b.PublishAt)
				}
				a.PublishAt, b.PublishAt = nil, nil
				if a != b {
					t.Errorf("%s: menu entry %d is %+v, want %+v", p.Title, i, a, b)
				}
			}
		}
		if _, _, err := f.s.PublicWithMenu(ctx, f.other.ID, all[0].Slug); err != publishing.ErrNotFound {
			t.Errorf("another collectivité reads the page: %v", err)
		}
	})
}
