package abuse_test

import (
	"context"
	"testing"
	"time"

	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

// Refusals are listed newest first with their collectivité, and purged
// 30 days after they happened, not a day earlier.
func TestRefusalLogListsAndPurges(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{tenant.Migrations, abuse.Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		town, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "montclair", Name: "Ville de Montclair", Kind: tenant.KindCommune})
		if err != nil {
			t.Fatal(err)
		}
		log := abuse.NewLog(d)
		now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
		for _, age := range []time.Duration{31 * 24 * time.Hour, 29 * 24 * time.Hour, time.Hour} {
			err := log.Record(ctx, abuse.Refusal{TenantID: town.ID, At: now.Add(-age), Action: "question", Kind: abuse.ByEmail,
				Address: "2001:db8:1:2::/64", Email: abuse.MaskEmail("cible@example.org")})
			if err != nil {
				t.Fatal(err)
			}
		}
		list, total, err := log.Recent(ctx, 0, 2)
		if err != nil || len(list) != 2 || total != 3 {
			t.Fatalf("first page: %d refusals of %d, %v", len(list), total, err)
		}
		r := list[0]
		if !r.At.Equal(now.Add(-time.Hour)) || r.TenantName != "Ville de Montclair" || r.Kind != abuse.ByEmail ||
			r.Address != "2001:db8:1:2::/64" || r.Email != "c•••@example.org" || r.Action != "question" {
			t.Fatalf("newest refusal: %+v", r)
		}
		n, err := log.Purge(ctx, now)
		if err != nil || n != 1 {
			t.Fatalf("purged %d, %v; want the one older than 30 days", n, err)
		}
		list, total, err = log.Recent(ctx, 0, 10)
		if err != nil || len(list) != 2 || total != 2 || !list[1].At.Equal(now.Add(-29*24*time.Hour)) {
			t.Fatalf("after the purge: %d refusals, %v", len(list), err)
		}
	})
}
