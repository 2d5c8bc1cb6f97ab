package account_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

// fakeStaff makes the users it lists staff, and counts its calls.
type fakeStaff struct {
	users map[string]*account.StaffInfo
	calls atomic.Int64
}

func (f *fakeStaff) StaffOf(_ context.Context, _, userID string) (*account.StaffInfo, error) {
	f.calls.Add(1)
	return f.users[userID], nil
}

// visit runs one request through the middleware on tn with cookie (may be
// nil) and returns the identity seen, the response and the query count.
func visit(m *account.Sessions, tn *tenant.Tenant, cookie *http.Cookie) (*account.Identity, *httptest.ResponseRecorder, int64) {
	var seen *account.Identity
	h := m.Middleware(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		seen = account.FromContext(r.Context())
	}))
	var queries atomic.Int64
	r := httptest.NewRequest("GET", "/", nil)
	r = r.WithContext(db.WithQueryCounter(tenant.NewContext(r.Context(), tn), &queries))
	if cookie != nil {
		r.AddCookie(cookie)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return seen, w, queries.Load()
}

// signIn signs u in on tn, sending previous as the request's cookie.
func signIn(t *testing.T, m *account.Sessions, tn *tenant.Tenant, u *account.User, previous *http.Cookie, opt account.SignInOptions) *http.Cookie {
	t.Helper()
	r := httptest.NewRequest("POST", "/connexion", nil)
	r = r.WithContext(tenant.NewContext(r.Context(), tn))
	if previous != nil {
		r.AddCookie(previous)
	}
	w := httptest.NewRecorder()
	if err := m.SignIn(w, r, u, opt); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	return sessionCookie(t, w.Result().Cookies())
}

func sessionCookie(t *testing.T, cookies []*http.Cookie) *http.Cookie {
	t.Helper()
	for _, c := range cookies {
		if c.Name == account.CookieName {
			return c
		}
	}
	t.Fatal("no session cookie set")
	return nil
}

func TestSessionLifecycle(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		m := account.NewSessions(f.store, true)
		u := f.register(t, f.a, "camille@exemple.fr")

		if id, _, q := visit(m, f.a, nil); id != nil || q != 0 {
			t.Fatalf("anonymous: identity %v after %d queries, want none and 0", id, q)
		}
		first := signIn(t, m, f.a, u, nil, account.SignInOptions{})
		if !first.HttpOnly || !first.Secure || first.SameSite != http.SameSiteLaxMode || first.Path != "/" ||
			len(first.Value) < 43 {
			t.Fatalf("cookie attributes: %+v", first)
		}
		id, _, q := visit(m, f.a, first)
		if id == nil || id.UserID != u.ID || id.Email != u.Email || id.IsStaff() || q != 1 {
			t.Fatalf("signed in: identity %+v after %d queries, want user %s in 1 query", id, q, u.ID)
		}
		if id.SessionID == first.Value {
			t.Fatal("the session id in the context is the cookie's secret, not its hash")
		}

		second := signIn(t, m, f.a, u, first, account.SignInOptions{})
		if second.Value == first.Value {
			t.Fatal("sign-in kept the session id")
		}
		if id, w, _ := visit(m, f.a, first); id != nil || sessionCookie(t, w.Result().Cookies()).MaxAge >= 0 {
			t.Fatalf("the replaced session still works (%v) or its cookie is not cleared", id)
		}
		if id, _, _ := visit(m, f.b, second); id != nil {
			t.Fatal("a session of tenant A is valid on tenant B")
		}
		if id, _, _ := visit(m, f.a, second); id == nil {
			t.Fatal("the new session does not work")
		}

		r := httptest.NewRequest("POST", "/deconnexion", nil)
		r = r.WithContext(tenant.NewContext(r.Context(), f.a))
		r.AddCookie(second)
		w := httptest.NewRecorder()
		ended, err := m.SignOut(w, r)
		if err != nil || ended == nil || ended.UserID != u.ID {
			t.Fatalf("sign out: %+v, %v", ended, err)
		}
		if id, _, _ := visit(m, f.a, second); id != nil {
			t.Fatal("session still valid after sign-out")
		}
		if ended, err := m.SignOut(httptest.NewRecorder(), r); ended != nil || err != nil {
			t.Fatalf("second sign-out: %v, %v", ended, err)
		}
	})
}

func TestSignInRefusesForeignUser(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		m := account.NewSessions(f.store, false)
		u := f.register(t, f.a, "camille@exemple.fr")
		r := httptest.NewRequest("POST", "/connexion", nil)
		r = r.WithContext(tenant.NewContext(r.Context(), f.b))
		w := httptest.NewRecorder()
		if err := m.SignIn(w, r, u, account.SignInOptions{}); err == nil || len(w.Result().Cookies()) != 0 {
			t.Fatalf("user of A signed in on B: %v", err)
		}
	})
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		m := account.NewSessions(f.store, false)
		now := dbtest.Start(t)
		m.Now = func() time.Time { return now }
		u := f.register(t, f.a, "camille@exemple.fr")
		c := signIn(t, m, f.a, u, nil, account.SignInOptions{})
		// Regular visits keep it alive past the idle limit…
		for range 4 {
			now = now.Add(m.ResidentIdle - time.Hour)
			if id, _, _ := visit(m, f.a, c); id == nil {
				t.Fatalf("session ended while in use at %v", now)
			}
		}
		// …but not past the idle limit without a visit…
		now = now.Add(m.ResidentIdle + time.Minute)
		if id, _, _ := visit(m, f.a, c); id != nil {
			t.Fatal("session survived the idle limit")
		}
		// …nor past the absolute limit.
		c = signIn(t, m, f.a, u, nil, account.SignInOptions{})
		end := now.Add(m.ResidentMax)
		for ; now.Before(end); now = now.Add(m.ResidentIdle / 2) {
			if id, _, _ := visit(m, f.a, c); id == nil {
				t.Fatalf("session ended early at %v", now)
			}
		}
		now = now.Add(m.ResidentIdle / 2)
		if id, _, _ := visit(m, f.a, c); id != nil {
			t.Fatal("session survived the absolute limit")
		}
		n, err := f.store.PurgeExpired(context.Background(), now)
		if err != nil || n != 2 {
			t.Fatalf("purged %d sessions, %v; want 2", n, err)
		}
	})
}

func TestStaffSecondFactor(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		m := account.NewSessions(f.store, false)
		agent := f.register(t, f.a, "agent@exemple.fr")
		elu := f.register(t, f.a, "elu@exemple.fr")
		resident := f.register(t, f.a, "habitant@exemple.fr")
		staff := &fakeStaff{users: map[string]*account.StaffInfo{
			agent.ID: {Roles: []account.Role{account.RoleAgent}, Services: []string{"etat-civil"}, SecondFactorRequired: true},
			elu.ID:   {Roles: []account.Role{account.RoleEditor}, Title: "Maire adjointe"},
		}}
		m.SetStaffSource(staff)
		c := signIn(t, m, f.a, agent, nil, account.SignInOptions{})
		if need, err := m.NeedsSecondFactor(ctx, agent, account.SignInOptions{}); !need || err != nil {
			t.Fatalf("agent needs second factor: %v, %v", need, err)
		}
		before := staff.calls.Load()
		id, _, q := visit(m, f.a, c)
		if id == nil || id.IsStaff() || !id.NeedsSecondFactor || q != 1 || staff.calls.Load() != before+1 {
			t.Fatalf("before TOTP: %+v in %d queries and %d staff look-ups", id, q, staff.calls.Load()-before)
		}
		if err := m.MarkSecondFactor(ctx, f.b.ID, id.SessionID); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("mark from another tenant: %v", err)
		}
		if err := m.MarkSecondFactor(ctx, f.a.ID, id.SessionID); err != nil {
			t.Fatal(err)
		}
		id, _, _ = visit(m, f.a, c)
		if !id.Has(account.RoleAgent) || id.NeedsSecondFactor || len(id.Services) != 1 || !id.SecondFactor {
			t.Fatalf("after TOTP: %+v", id)
		}
		c = signIn(t, m, f.a, elu, nil, account.SignInOptions{})
		if id, _, _ := visit(m, f.a, c); !id.Has(account.RoleEditor) || id.Title != "Maire adjointe" {
			t.Fatalf("staff without required TOTP: %+v", id)
		}
		c = signIn(t, m, f.a, resident, nil, account.SignInOptions{})
		before = staff.calls.Load()
		if id, _, q := visit(m, f.a, c); id.IsStaff() || id.NeedsSecondFactor || q != 1 || staff.calls.Load() != before {
			t.Fatalf("resident: %+v in %d queries and %d staff look-ups", id, q, staff.calls.Load()-before)
		}
	})
}

// TestIdentitySaysWhetherTheAddressIsVerified: the request's identity
// tells a verified address, at once after verification.
func TestIdentitySaysWhetherTheAddressIsVerified(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		m := account.NewSessions(f.store, true)
		u := f.register(t, f.a, "camille@exemple.fr")
		cookie := signIn(t, m, f.a, u, nil, account.SignInOptions{})
		if id, _, _ := visit(m, f.a, cookie); id == nil || id.EmailVerified {
			t.Fatalf("before verification: %+v", id)
		}
		if err := f.store.MarkEmailVerified(context.Background(), f.a.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		if id, _, _ := visit(m, f.a, cookie); id == nil || !id.EmailVerified {
			t.Fatalf("after verification: %+v", id)
		}
	})
}
