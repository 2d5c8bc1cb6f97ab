package app_test

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/appointment"
	"guichet/internal/capability/appointment/appointmentweb"
	"guichet/internal/capability/news"
	"guichet/internal/capability/news/newsweb"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/publishing"
)

// TestChangesReachEveryCacheHoldingThem makes changes through the stores
// of a running application and checks that each is announced on the one
// seam on which the caches holding that data registered: a store left on
// a seam of its own, or a cache that does not register, fails here.
func TestChangesReachEveryCacheHoldingThem(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		a := e.App
		var heard []invalidate.Change
		a.Changes.Register(invalidate.Cache{Name: "test-spy", Holds: []invalidate.Kind{invalidate.Tenant,
			invalidate.Agenda, invalidate.Content}, Drop: func(c invalidate.Change) { heard = append(heard, c) }})
		holders := func(k invalidate.Kind) []string {
			var names []string
			for _, c := range a.Changes.Caches() {
				if slices.Contains(c.Holds, k) && c.Name != "test-spy" {
					names = append(names, c.Name)
				}
			}
			return names
		}
		agenda := &appointment.Agenda{TenantID: e.Town.ID, Slug: "passeports", ServiceKey: "etat-civil", Service: "État civil",
			Name: "Passeports", Place: "Hôtel de ville", Step: 20 * time.Minute, MinNotice: time.Hour, WindowDays: 30,
			ReleaseMinute: 8 * 60, Hold: 2 * time.Hour, Reminders: []time.Duration{24 * time.Hour}, Active: true,
			Resources: []appointment.Resource{{Name: "Guichet 1"}},
			Types:     []appointment.Type{{Slug: "passeport", Name: "Passeport", Duration: 20 * time.Minute}},
			Hours:     []appointment.Hours{{Weekday: time.Monday, Start: 9 * 60, End: 12 * 60}}}
		for _, tc := range []struct {
			what    string
			change  func() error
			want    invalidate.Change
			holders []string
		}{
			{"a collectivité's settings", func() error {
				town := *e.Town
				town.Name = "Ville de Montclair (nouveau nom)"
				_, err := a.Tenants.Update(ctx, town)
				return err
			}, invalidate.Change{Kind: invalidate.Tenant, TenantID: e.Town.ID},
				[]string{"alerts-banners", "council-pages", "events-home", "events-lists", "news-home", "page-memo", "privacy-activities",
					"search-results", "site-map", "tenant-resolver"}},
			{"an agenda", func() error { return appointmentweb.Of(a.Kernel).Store.CreateAgenda(ctx, agenda) },
				invalidate.Change{Kind: invalidate.Agenda, TenantID: e.Town.ID},
				[]string{"appointment-agendas", "appointment-slots", "privacy-activities", "search-results", "site-map"}},
			{"a news item", func() error {
				return newsweb.Of(a.Kernel).Store.Save(ctx, &news.News{TenantID: e.Village.ID, Category: "travaux", Title: "Travaux",
					Summary: "Trois semaines.", Body: "Rue Haute.", Status: publishing.StatusPublished}, "Rédaction", "published")
			}, invalidate.Change{Kind: invalidate.Content, TenantID: e.Village.ID}, []string{"alerts-banners", "council-pages", "events-home",
				"events-lists", "news-home", "privacy-activities", "search-results", "site-map"}},
		} {
			heard = nil
			if err := tc.change(); err != nil {
				t.Fatalf("%s: %+v", tc.what, err)
			}
			if tc.want.Kind == invalidate.Agenda {
				tc.want.Key = agenda.ID
			}
			if !slices.Contains(heard, tc.want) {
				t.Errorf("a change to %s announced %v, want %v among them", tc.what, heard, tc.want)
			}
			if got := holders(tc.want.Kind); !slices.Equal(got, tc.holders) {
				t.Errorf("caches told of a change to %s: %v, want %v", tc.what, got, tc.holders)
			}
		}
	})
}

// TestEveryCacheIsDocumented compares the caches registered by a running
// application with the table of docs/ARCHITECTURE.md, both ways.
func TestEveryCacheIsDocumented(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/ARCHITECTURE.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(doc), "\n## In-process caches\n")
	section, _, _ = strings.Cut(section, "\n## ")
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z0-9-]+)` \\|").FindAllStringSubmatch(section, -1) {
		documented[m[1]] = true
	}
	e := apptest.New(t, dbtest.URLs(t)[db.SQLite]) // the same caches on either engine
	for _, c := range e.App.Changes.Caches() {
		if !documented[c.Name] {
			t.Errorf("cache %q is registered but not in the table of docs/ARCHITECTURE.md", c.Name)
		}
		delete(documented, c.Name)
	}
	for name := range documented {
		t.Errorf("cache %q is in docs/ARCHITECTURE.md but no longer registers on the seam", name)
	}
}
