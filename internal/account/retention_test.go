package account_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"guichet/internal/account"
)

// day0 is a fixed instant the retention tests count from.
var day0 = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// TestUnverifiedAccountsGoAfterTheirPeriod: an account never verified is
// kept one day inside UnverifiedDays and deleted, with what the erasers
// hold of it, one day past; a verified account of the same age stays.
func TestUnverifiedAccountsGoAfterTheirPeriod(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		at := func(daysAgo int) { f.store.Now = func() time.Time { return day0.AddDate(0, 0, -daysAgo) } }
		at(account.UnverifiedDays - 1)
		inside := f.register(t, f.a, "dedans@exemple.fr")
		at(account.UnverifiedDays + 1)
		past := f.register(t, f.b, "dehors@exemple.fr")
		verified := f.register(t, f.a, "verifie@exemple.fr")
		if err := f.store.MarkEmailVerified(ctx, f.a.ID, verified.ID); err != nil {
			t.Fatal(err)
		}
		var erased []string
		f.store.RegisterEraser(account.Eraser{Name: "test", Erase: func(_ context.Context, p account.Person) error {
			erased = append(erased, p.UserID)
			return nil
		}})
		at(0)
		n, err := f.store.PurgeUnverified(ctx)
		if err != nil || n != 1 {
			t.Fatalf("purged %d, %v; want 1", n, err)
		}
		if _, err := f.store.Get(ctx, f.b.ID, past.ID); !errors.Is(err, account.ErrNotFound) {
			t.Errorf("the account one day past its period is still there: %v", err)
		}
		if len(erased) != 1 || erased[0] != past.ID {
			t.Errorf("erasers ran for %v, want only %s", erased, past.ID)
		}
		for _, u := range []*account.User{inside, verified} {
			if _, err := f.store.Get(ctx, u.TenantID, u.ID); err != nil {
				t.Errorf("%s was deleted: %v", u.Email, err)
			}
		}
	})
}

// TestExpiredSessionsAndTokensGoAtTheirEnd: a session or token ending one
// day after the purge stays; one that ended a day before goes.
func TestExpiredSessionsAndTokensGoAtTheirEnd(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		u := f.register(t, f.a, "camille@exemple.fr")
		before, after := day0.AddDate(0, 0, -1), day0.AddDate(0, 0, 1)
		for _, s := range []struct {
			id  string
			end time.Time
		}{{"fini", before}, {"vivant", after}} {
			if _, err := f.d.Exec(ctx, `INSERT INTO sessions (id, tenant_id, user_id, idle_seconds, created_at, idle_until, expires_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, s.id, f.a.ID, u.ID, 3600, before.AddDate(0, 0, -1), s.end, s.end); err != nil {
				t.Fatal(err)
			}
			if _, err := f.d.Exec(ctx, `INSERT INTO tokens (hash, tenant_id, user_id, purpose, created_at, expires_at)
				VALUES (?, ?, ?, ?, ?, ?)`, s.id, f.a.ID, u.ID, account.PurposeReset, before.AddDate(0, 0, -1), s.end); err != nil {
				t.Fatal(err)
			}
		}
		n, err := f.store.PurgeExpired(ctx, day0)
		if err != nil || n != 2 {
			t.Fatalf("purged %d, %v; want a session and a token", n, err)
		}
		for _, table := range []string{"sessions", "tokens"} {
			var left string
			col := map[string]string{"sessions": "id", "tokens": "hash"}[table]
			if err := f.d.QueryRow(ctx, `SELECT `+col+` FROM `+table).Scan(&left); err != nil || left != "vivant" {
				t.Errorf("%s left: %q, %v; want the one still running", table, left, err)
			}
		}
	})
}
