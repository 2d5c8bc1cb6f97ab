package oidc_test

import (
	"context"
	"testing"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/identity/oidc"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

// TestUnfinishedFlowsGoWhenExpired: a sign-in flow still valid a minute
// longer stays; one expired a minute ago goes.
func TestUnfinishedFlowsGoWhenExpired(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{tenant.Migrations, account.Migrations, oidc.Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		tn, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "alpha", Name: "Alpha", Kind: tenant.KindCommune})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
		for state, expires := range map[string]time.Time{"fini": now.Add(-time.Minute), "en-cours": now.Add(time.Minute)} {
			if _, err := d.Exec(ctx, `INSERT INTO oidc_flows (state, tenant_id, provider, nonce, browser_hash, expires_at)
				VALUES (?, ?, ?, ?, ?, ?)`, state, tn.ID, oidc.FranceConnect, "n", "b", expires); err != nil {
				t.Fatal(err)
			}
		}
		store := oidc.NewStore(d, "a-secret-key-of-at-least-32-characters!")
		store.Now = func() time.Time { return now }
		if n, err := store.PurgeExpired(ctx); err != nil || n != 1 {
			t.Fatalf("purged %d, %v; want 1", n, err)
		}
		var left string
		if err := d.QueryRow(ctx, `SELECT state FROM oidc_flows`).Scan(&left); err != nil || left != "en-cours" {
			t.Errorf("left %q, %v; want the flow still valid", left, err)
		}
	})
}
