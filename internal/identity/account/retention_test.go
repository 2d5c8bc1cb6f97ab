package account_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/mail"
)

// day0 is a fixed instant the retention tests count from.
var day0 = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// TestUnverifiedAccountsGoAfterTheirPeriod: an account never verified is
// kept one day inside UnverifiedDays and deleted, with what the erasers
// hold of it, one day past; a verified account of the same age stays.
func TestUnverifiedAccountsGoAfterTheirPeriod(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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

// outbox records the warnings the store mails.
type outbox struct{ msgs []mail.Message }

func (o *outbox) Enqueue(_ context.Context, m mail.Message) error {
	o.msgs = append(o.msgs, m)
	return nil
}

// TestInactiveAccountsAreWarnedThenDeleted: a verified account unused for
// one day less than InactiveDays less the notice gets no warning, one a
// day older gets one (once); an account warned a day less than the
// notice ago stays, one warned a day more ago and unused InactiveDays
// goes with its records; signing in starts the count again.
func TestInactiveAccountsAreWarnedThenDeleted(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		box := &outbox{}
		f.store.Mail = box
		f.store.Sites = func(context.Context, string) (string, *time.Location, error) {
			return "http://alpha.localhost", time.UTC, nil
		}
		at := func(daysAgo int) { f.store.Now = func() time.Time { return day0.AddDate(0, 0, -daysAgo) } }
		verified := func(email string, lastSeenDaysAgo int) *account.User {
			at(lastSeenDaysAgo)
			u := f.register(t, f.a, email)
			if err := f.store.MarkEmailVerified(ctx, f.a.ID, u.ID); err != nil {
				t.Fatal(err)
			}
			return u
		}
		warnAt := account.InactiveDays - account.InactiveNoticeDays
		quiet := verified("recent@exemple.fr", warnAt-1)
		due := verified("bientot@exemple.fr", warnAt+1)
		at(0)
		if n, err := f.store.WarnInactive(ctx); err != nil || n != 1 {
			t.Fatalf("warned %d, %v; want 1", n, err)
		}
		if len(box.msgs) != 1 || box.msgs[0].To != due.Email || box.msgs[0].Template != "accounts/inactive" ||
			box.msgs[0].Data["Link"] != "http://alpha.localhost/connexion" {
			t.Fatalf("warnings: %+v", box.msgs)
		}
		if n, _ := f.store.WarnInactive(ctx); n != 0 {
			t.Errorf("warned again: %d", n)
		}
		// Deletion needs both the inactivity and the notice run out.
		var erased []string
		f.store.RegisterEraser(account.Eraser{Name: "test", Erase: func(_ context.Context, p account.Person) error {
			erased = append(erased, p.Email)
			return nil
		}})
		at(-(account.InactiveNoticeDays - 1))
		if n, err := f.store.PurgeInactive(ctx); err != nil || n != 0 {
			t.Fatalf("one day inside the notice: %d deleted, %v", n, err)
		}
		at(-(account.InactiveNoticeDays + 1))
		if n, err := f.store.PurgeInactive(ctx); err != nil || n != 1 {
			t.Fatalf("one day past the notice: %d deleted, %v; want 1", n, err)
		}
		if _, err := f.store.Get(ctx, f.a.ID, due.ID); !errors.Is(err, account.ErrNotFound) || len(erased) != 1 || erased[0] != due.Email {
			t.Errorf("the inactive account: %v, erased %v", err, erased)
		}
		if _, err := f.store.Get(ctx, f.a.ID, quiet.ID); err != nil {
			t.Errorf("an account warned later went: %v", err)
		}
	})
}

// TestSigningInStartsInactivityAgain: a warned account signed in to is
// neither deleted nor warned again until a new period has run.
func TestSigningInStartsInactivityAgain(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		box := &outbox{}
		f.store.Mail = box
		f.store.Sites = func(context.Context, string) (string, *time.Location, error) { return "", time.UTC, nil }
		f.store.Now = func() time.Time { return day0.AddDate(0, 0, -account.InactiveDays-10) }
		u := f.register(t, f.a, "revenue@exemple.fr")
		if err := f.store.MarkEmailVerified(ctx, f.a.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		f.store.Now = func() time.Time { return day0 }
		if n, _ := f.store.WarnInactive(ctx); n != 1 {
			t.Fatalf("warned %d", n)
		}
		sessions := account.NewSessions(f.store, false)
		sessions.Now = func() time.Time { return day0.AddDate(0, 0, 1) }
		signIn(t, sessions, f.a, u, nil, account.SignInOptions{})
		f.store.Now = func() time.Time { return day0.AddDate(0, 0, account.InactiveNoticeDays+1) }
		if n, err := f.store.PurgeInactive(ctx); err != nil || n != 0 {
			t.Errorf("an account signed in to after its warning was deleted: %d, %v", n, err)
		}
		if n, _ := f.store.WarnInactive(ctx); n != 0 {
			t.Errorf("warned again right after signing in: %d", n)
		}
	})
}
