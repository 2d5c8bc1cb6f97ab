package alerts_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/alerts"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing/search"
)

// fixture is an alerts store that sends no mail, on a clock the test
// moves, with one collectivité.
type fixture struct {
	s    *alerts.Store
	d    *db.DB
	town *tenant.Tenant
	now  time.Time
}

func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	dbtest.Each(t, []db.Migrations{tenant.Migrations, search.Migrations, alerts.Migrations}, func(t *testing.T, d *db.DB) {
		town, err := tenant.NewStore(d).Create(context.Background(), tenant.Tenant{Slug: "ville", Name: "Commune de ville",
			Kind: tenant.KindCommune, INSEE: "86990", SIRET: "21869900700017", TimeZone: "Europe/Paris"})
		if err != nil {
			t.Fatal(err)
		}
		f := &fixture{d: d, town: town, now: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
		f.s = alerts.NewStore(d, nil)
		f.s.Now = func() time.Time { return f.now }
		fn(t, f)
	})
}

func (f *fixture) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := f.d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestUnconfirmedSubscriptionsGo: a subscription never confirmed stays a
// day inside UnconfirmedSubscriberDays and goes a day past; a confirmed
// one stays.
func TestUnconfirmedSubscriptionsGo(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		day0 := f.now
		subscribe := func(email string, daysAgo int) {
			f.now = day0.AddDate(0, 0, -daysAgo)
			if err := f.s.Subscribe(ctx, f.town.ID, email, []string{"travaux"}, nil, "http://ville.localhost", "fr"); err != nil {
				t.Fatal(err)
			}
		}
		subscribe("dedans@exemple.fr", alerts.UnconfirmedSubscriberDays-1)
		subscribe("dehors@exemple.fr", alerts.UnconfirmedSubscriberDays+1)
		subscribe("confirme@exemple.fr", alerts.UnconfirmedSubscriberDays+1)
		if _, err := f.d.Exec(ctx, `UPDATE content_subscribers SET confirmed_at = created_at WHERE email = ?`, "confirme@exemple.fr"); err != nil {
			t.Fatal(err)
		}
		f.now = day0
		if n, err := f.s.PurgeUnconfirmedSubscribers(ctx); err != nil || n != 1 {
			t.Fatalf("purged %d, %v; want 1", n, err)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM content_subscribers WHERE email = ?`, "dehors@exemple.fr"); n != 0 {
			t.Errorf("the expired subscription stayed")
		}
	})
}

// TestErasureDeletesTheSubscription: the export holds the person's
// subscription, found by their address in any case; erasing them deletes
// it and nobody else's.
func TestErasureDeletesTheSubscription(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		for _, email := range []string{"Alice@Exemple.fr", "bob@exemple.fr"} {
			if err := f.s.Subscribe(ctx, f.town.ID, email, []string{"travaux"}, nil, "http://ville.localhost", "fr"); err != nil {
				t.Fatal(err)
			}
		}
		alice := account.Person{TenantID: f.town.ID, UserID: "compte-alice", Email: "alice@exemple.fr", SiteURL: "http://ville.localhost"}
		export := func() string {
			data, err := f.s.ExportSubscriptions(ctx, alice)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(data)
			return string(b)
		}
		if before := export(); !strings.Contains(before, "travaux") || !strings.Contains(before, "alice@exemple.fr") || strings.Contains(before, "bob") {
			t.Errorf("the export: %s", before)
		}
		if err := f.s.Erase(ctx, alice); err != nil {
			t.Fatal(err)
		}
		if n := f.count(t, `SELECT COUNT(*) FROM content_subscribers`); n != 1 {
			t.Errorf("%d subscriptions left, want Bob's", n)
		}
		if after := export(); after != "[]" {
			t.Errorf("the export still finds the erased person's subscription: %s", after)
		}
	})
}
