package a11y

import (
	"context"
	"errors"
	"maps"
	"testing"
	"time"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

func TestStoreKeepsLatestAuditPerTenant(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{tenant.Migrations, Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		tenants := tenant.NewStore(d)
		one, err := tenants.Create(ctx, tenant.Tenant{Slug: "une", Name: "Une"})
		if err != nil {
			t.Fatal(err)
		}
		two, err := tenants.Create(ctx, tenant.Tenant{Slug: "deux", Name: "Deux"})
		if err != nil {
			t.Fatal(err)
		}
		s := NewStore(d)
		if _, err := s.Latest(ctx, one.ID); !errors.Is(err, ErrNoAudit) {
			t.Fatalf("latest without audit: %v", err)
		}
		if lvl, err := s.Level(ctx, one.ID); err != nil || lvl != LevelNone {
			t.Fatalf("level without audit = %q, %v", lvl, err)
		}
		first := sample(20, 30)
		first.TenantID = one.ID
		if err := s.Save(ctx, first); err != nil {
			t.Fatal(err)
		}
		second := sample(50, 0)
		second.TenantID, second.Derogations = one.ID, "Cartes anciennes numérisées."
		second.AuditedOn = time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC)
		if err := s.Save(ctx, second); err != nil {
			t.Fatal(err)
		}
		got, err := s.Latest(ctx, one.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != second.ID || got.Derogations != second.Derogations || got.Level() != LevelFull ||
			!got.AuditedOn.Equal(second.AuditedOn) || len(got.Results) != CriteriaCount {
			t.Errorf("latest = %+v", got)
		}
		if lvl, _ := s.Level(ctx, one.ID); lvl != LevelFull {
			t.Errorf("level after save = %q, want cache forgotten", lvl)
		}
		if _, err := s.Latest(ctx, two.ID); !errors.Is(err, ErrNoAudit) {
			t.Errorf("other tenant sees an audit: %v", err)
		}
		incomplete := sample(10, 0)
		incomplete.TenantID = two.ID
		delete(incomplete.Results, "1.1")
		if err := s.Save(ctx, incomplete); err == nil {
			t.Error("incomplete audit saved")
		}
	})
}

// TestLatestResultsAreTheCallersOwn reads the latest audit twice: the
// verdicts, decoded once, are those saved each time, and a caller that
// changes its copy changes nothing for the next one.
func TestLatestResultsAreTheCallersOwn(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{tenant.Migrations, Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		one, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "une", Name: "Une"})
		if err != nil {
			t.Fatal(err)
		}
		s := NewStore(d)
		saved := sample(20, 30)
		saved.TenantID = one.ID
		if err := s.Save(ctx, saved); err != nil {
			t.Fatal(err)
		}
		first, err := s.Latest(ctx, one.ID)
		if err != nil {
			t.Fatal(err)
		}
		for id, v := range first.Results {
			first.Results[id] = v + "?"
		}
		again, err := s.Latest(ctx, one.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(again.Results, saved.Results) {
			t.Errorf("the second reading has other verdicts than those saved")
		}
	})
}
