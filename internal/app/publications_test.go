package app_test

import (
	"context"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/alerts"
	"guichet/internal/capability/alerts/alertsweb"
	"guichet/internal/capability/events"
	"guichet/internal/capability/events/eventsweb"
	"guichet/internal/capability/news"
	"guichet/internal/capability/news/newsweb"
	"guichet/internal/publishing"
)

// TestPublicationSources reads through the kernel's registry what the
// news, the agenda and the alerts published: a window of dates finds each
// item once, a scheduled item appears only once its date has come, a
// draft and another collectivité's item never.
func TestPublicationSources(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		k := e.App.Kernel
		now := e.App.Now()
		later := now.Add(48 * time.Hour)
		save := func(tenantID, title, status string, at *time.Time) *news.News {
			n := &news.News{TenantID: tenantID, Category: "travaux", Title: title, Body: "Texte.", Status: status, PublishAt: at}
			if err := newsweb.Of(k).Store.Save(ctx, n, "test", "published"); err != nil {
				t.Fatal(err)
			}
			return n
		}
		published := save(e.Town.ID, "Réfection de la rue Haute", publishing.StatusPublished, &now)
		scheduled := save(e.Town.ID, "Fermeture estivale", publishing.StatusPublished, &later)
		save(e.Town.ID, "Brouillon", publishing.StatusDraft, nil)
		save(e.Village.ID, "Fête du village", publishing.StatusPublished, &now)
		ev := &events.Event{TenantID: e.Town.ID, Category: "culture", Title: "Concert au kiosque", Body: "Fanfare.",
			Place: "Kiosque", Start: now.Add(72 * time.Hour), End: now.Add(74 * time.Hour), Status: publishing.StatusPublished, PublishAt: &now}
		if err := eventsweb.Of(k).Store.Save(ctx, ev, time.UTC, "test", "published"); err != nil {
			t.Fatal(err)
		}
		al := &alerts.Alert{TenantID: e.Town.ID, Title: "Coupure d'eau", Severity: alerts.SeverityWarning, Topic: "eau", Expires: now.Add(time.Hour)}
		if err := alertsweb.Of(k).Store.Publish(ctx, al, "http://montclair.localhost"); err != nil {
			t.Fatal(err)
		}

		ids := func(kind string, from, to time.Time) []string {
			src, ok := k.PublicationsOf(kind)
			if !ok {
				t.Fatalf("no source of %s", kind)
			}
			list, err := src.Published(ctx, e.Town.ID, from, to, 100)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, p := range list {
				if p.Kind != kind || p.Path == "" || p.Published.IsZero() {
					t.Errorf("%s: incomplete publication %+v", kind, p)
				}
				out = append(out, p.ID)
			}
			return out
		}
		window := now.Add(-time.Hour)
		if got := ids(news.Kind, window, now.Add(time.Second)); len(got) != 1 || got[0] != published.ID {
			t.Errorf("news published now: %v, want only %s", got, published.ID)
		}
		if got := ids(news.Kind, window, later); len(got) != 2 || got[1] != scheduled.ID {
			t.Errorf("news once the scheduled date has come: %v", got)
		}
		if got := ids(events.Kind, window, now.Add(time.Second)); len(got) != 1 || got[0] != ev.ID {
			t.Errorf("events: %v", got)
		}
		if got := ids(alerts.KindAlert, window, now.Add(time.Second)); len(got) != 1 || got[0] != al.ID {
			t.Errorf("alerts: %v", got)
		}
		// Past its end, an alert is no longer carried.
		if got := ids(alerts.KindAlert, window, now.Add(2*time.Hour)); len(got) != 0 {
			t.Errorf("expired alert still listed: %v", got)
		}
		src, _ := k.PublicationsOf(news.Kind)
		if _, err := src.Get(ctx, e.Town.ID, scheduled.ID, now); err == nil {
			t.Error("a scheduled item was given before its date")
		}
		if p, err := src.Get(ctx, e.Town.ID, published.ID, now); err != nil || p.Title != published.Title {
			t.Errorf("get: %+v, %v", p, err)
		}
		if _, err := src.Get(ctx, e.Village.ID, published.ID, now); err == nil {
			t.Error("the village read the town's item")
		}
		recent, err := src.Recent(ctx, e.Town.ID, now, 10)
		if err != nil || len(recent) == 0 || recent[0].ID != published.ID {
			t.Errorf("recent: %+v, %v", recent, err)
		}
	})
}
