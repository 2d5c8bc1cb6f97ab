package account_test

import (
	"context"
	"testing"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/dbtest"
)

// TestResidentSessionCache: a resident's session is read once per short
// period; changes made through this process apply at once, and a change
// made behind its back (another process) within the period.
func TestResidentSessionCache(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		m := account.NewSessions(f.store, false)
		now := dbtest.Start(t)
		m.Now = func() time.Time { return now }
		u := f.register(t, f.a, "camille@exemple.fr")
		c := signIn(t, m, f.a, u, nil, account.SignInOptions{})

		if id, _, q := visit(m, f.a, c); id == nil || q != 1 {
			t.Fatalf("first visit: %v in %d queries, want the resident in 1", id, q)
		}
		if id, _, q := visit(m, f.a, c); id == nil || id.UserID != u.ID || q != 0 {
			t.Fatalf("second visit: %v in %d queries, want the resident from memory", id, q)
		}
		if id, _, _ := visit(m, f.b, c); id != nil {
			t.Fatal("the cached session of tenant A is valid on tenant B")
		}
		// Someone else signing in does not empty the cache.
		signIn(t, m, f.a, f.register(t, f.a, "dominique@exemple.fr"), nil, account.SignInOptions{})
		if id, _, q := visit(m, f.a, c); id == nil || q != 0 {
			t.Fatalf("after another sign-in: %v in %d queries, want the resident from memory", id, q)
		}

		// A profile change through this process shows on the next request.
		if err := f.store.UpdateProfile(ctx, f.a.ID, u.ID, "Camille Martin", "en", account.Preferences{}); err != nil {
			t.Fatal(err)
		}
		if id, _, q := visit(m, f.a, c); id == nil || id.Name != "Camille Martin" || id.Lang != "en" || q != 1 {
			t.Fatalf("after the profile change: %+v in %d queries", id, q)
		}

		// A sign-out by another process: served until the period ends, then refused.
		if _, err := f.d.Exec(ctx, `DELETE FROM sessions WHERE tenant_id = ?`, f.a.ID); err != nil {
			t.Fatal(err)
		}
		if id, _, _ := visit(m, f.a, c); id == nil {
			t.Fatal("want the session served from memory within the period")
		}
		now = now.Add(3 * time.Second)
		if id, _, _ := visit(m, f.a, c); id != nil {
			t.Fatal("the session deleted by another process is still valid after the period")
		}

		// Ending the user's sessions here applies at once.
		c = signIn(t, m, f.a, u, nil, account.SignInOptions{})
		if id, _, _ := visit(m, f.a, c); id == nil {
			t.Fatal("new session refused")
		}
		if err := f.store.EndSessions(ctx, f.a.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		if id, _, _ := visit(m, f.a, c); id != nil {
			t.Fatal("session valid after EndSessions")
		}
	})
}

// TestStaffSessionsAreNotCached: staff roles must apply at once, so staff
// sessions are read on every request.
func TestStaffSessionsAreNotCached(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		m := account.NewSessions(f.store, false)
		elu := f.register(t, f.a, "elu@exemple.fr")
		m.SetStaffSource(&fakeStaff{users: map[string]*account.StaffInfo{elu.ID: {Roles: []account.Role{account.RoleEditor}}}})
		c := signIn(t, m, f.a, elu, nil, account.SignInOptions{})
		for i := range 2 {
			if id, _, q := visit(m, f.a, c); id == nil || !id.IsStaff() || q != 1 {
				t.Fatalf("visit %d: %+v in %d queries, want staff read in 1", i, id, q)
			}
		}
	})
}
