package oidc_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"guichet"
	"guichet/internal/identity/oidc"
	"guichet/internal/identity/oidc/oidctest"
)

func TestFirstSignInCreatesVerifiedAccountThenSignsInBySubject(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		res, err := f.signIn(t)
		if err != nil {
			t.Fatalf("sign in: %v", err)
		}
		if !res.Created || res.Linked || res.User.Name != "Angela Claire Louise Dubois" ||
			res.User.Email != "angela.dubois@example.fr" || !res.User.Verified() || res.User.HasPassword {
			t.Fatalf("first sign-in: %+v, user %+v", res, res.User)
		}
		if res.IDToken == "" || res.Next != "/compte" || res.Provider != oidc.FranceConnect {
			t.Fatalf("result: %+v", res)
		}
		// The provider now reports another email: the subject still finds the account.
		f.op.Set(func(p *oidctest.Provider) { p.User.Email = "angela.nouvelle@example.fr" })
		again, err := f.signIn(t)
		if err != nil {
			t.Fatalf("second sign-in: %v", err)
		}
		if again.User.ID != res.User.ID || again.Created || again.Linked {
			t.Fatalf("second sign-in: %+v, want the same user %s", again, res.User.ID)
		}
		if n := f.countUsers(t, f.a, "angela.nouvelle@example.fr"); n != 0 {
			t.Fatalf("second sign-in created %d account(s)", n)
		}
	})
}

func TestAuthorizationRequestIsFranceConnectShaped(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		if _, err := f.signIn(t); err != nil {
			t.Fatal(err)
		}
		auths := f.op.Authorizations()
		if len(auths) != 1 {
			t.Fatalf("provider saw %d authorization requests", len(auths))
		}
		q := auths[0]
		if q.Get("acr_values") != "eidas1" || q.Get("response_type") != "code" || q.Get("redirect_uri") != callback {
			t.Errorf("authorization request: %v", q)
		}
		if n := len(q.Get("nonce")); n < 22 {
			t.Errorf("nonce has %d characters, want ≥ 22", n)
		}
		if n := len(q.Get("state")); n < 22 {
			t.Errorf("state has %d characters, want ≥ 22", n)
		}
		if q.Get("nonce") == q.Get("state") {
			t.Error("nonce and state are the same value")
		}
		if q.Get("scope") != "openid email given_name family_name" {
			t.Errorf("scope = %q", q.Get("scope"))
		}
		if q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43 {
			t.Errorf("PKCE not sent: %v", q)
		}
		tokens := f.op.TokenRequests()
		if len(tokens) != 1 || len(tokens[0].Get("code_verifier")) < 43 || tokens[0].Get("client_secret") != f.op.ClientSecret {
			t.Errorf("token request: %v", tokens)
		}
		// A second sign-in draws new values.
		if _, err := f.signIn(t); err != nil {
			t.Fatal(err)
		}
		second := f.op.Authorizations()[1]
		if second.Get("nonce") == q.Get("nonce") || second.Get("state") == q.Get("state") {
			t.Error("state or nonce reused across sign-ins")
		}
	})
}

// finish runs the provider round trip and lets change alter the callback.
func (f *fixture) finish(t *testing.T, change func(cb *oidc.Callback)) (*oidc.Result, error) {
	t.Helper()
	ctx := context.Background()
	start, err := f.svc.Begin(ctx, f.a.ID, oidc.FranceConnect, callback, "")
	if err != nil {
		t.Fatal(err)
	}
	back := f.authorize(t, start)
	cb := oidc.Callback{State: back.Get("state"), Code: back.Get("code"), BrowserSecret: start.BrowserSecret,
		RedirectURL: callback}
	if change != nil {
		change(&cb)
	}
	return f.svc.Finish(ctx, f.a.ID, cb)
}

func wantRefused(t *testing.T, res *oidc.Result, err error, code string) {
	t.Helper()
	if err == nil || guichet.ErrorCode(err) != code {
		t.Fatalf("got %+v, %v; want a %s refusal", res, err, code)
	}
}

func TestStateChecks(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		res, err := f.finish(t, func(cb *oidc.Callback) { cb.State = strings.Repeat("x", 43) })
		wantRefused(t, res, err, guichet.EForbidden)
		res, err = f.finish(t, func(cb *oidc.Callback) { cb.State = "" })
		wantRefused(t, res, err, guichet.EForbidden)
		res, err = f.finish(t, func(cb *oidc.Callback) { cb.BrowserSecret = "another-browser" })
		wantRefused(t, res, err, guichet.EForbidden)
		res, err = f.finish(t, func(cb *oidc.Callback) { cb.Error = "access_denied" })
		wantRefused(t, res, err, guichet.EForbidden)

		// A state works once: replaying the provider's answer is refused.
		var replay oidc.Callback
		if _, err := f.finish(t, func(cb *oidc.Callback) { replay = *cb }); err != nil {
			t.Fatalf("genuine sign-in: %v", err)
		}
		res, err = f.svc.Finish(ctx, f.a.ID, replay)
		wantRefused(t, res, err, guichet.EForbidden)
		if n := f.countUsers(t, f.a, "angela.dubois@example.fr"); n != 1 {
			t.Fatalf("%d accounts after refusals and one sign-in, want 1", n)
		}
	})
}

func TestNonceMismatchRefused(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		// An ID token minted for an earlier sign-in carries that sign-in's nonce.
		start, err := f.svc.Begin(context.Background(), f.a.ID, oidc.FranceConnect, callback, "")
		if err != nil {
			t.Fatal(err)
		}
		old, err := url.Parse(start.URL)
		if err != nil {
			t.Fatal(err)
		}
		f.op.Set(func(p *oidctest.Provider) { p.Nonce = old.Query().Get("nonce") })
		res, err := f.finish(t, nil)
		wantRefused(t, res, err, guichet.EForbidden)
		if n := f.countUsers(t, f.a, "angela.dubois@example.fr"); n != 0 {
			t.Fatalf("refused sign-in created %d account(s)", n)
		}
	})
}

func TestUserinfoMustBeSignedByTheProvider(t *testing.T) {
	t.Parallel()
	cases := map[string]func(p *oidctest.Provider){
		"bad signature":     func(p *oidctest.Provider) { p.BadUserinfoSignature = true },
		"unsigned":          func(p *oidctest.Provider) { p.PlainUserinfo = true },
		"another subject":   func(p *oidctest.Provider) { p.UserinfoSubject = "someone-else" },
		"missing acr":       func(p *oidctest.Provider) { p.ACR = "" },
		"lower acr":         func(p *oidctest.Provider) { p.ACR = "eidas0" },
		"unrelated acr set": func(p *oidctest.Provider) { p.ACR = "substantial" },
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			each(t, func(t *testing.T, f *fixture) {
				f.op.Set(change)
				res, err := f.finish(t, nil)
				wantRefused(t, res, err, guichet.EForbidden)
				if n := f.countUsers(t, f.a, "angela.dubois@example.fr"); n != 0 {
					t.Fatalf("refused sign-in created %d account(s)", n)
				}
			})
		})
	}
}

func TestHigherEidasLevelAccepted(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		f.op.Set(func(p *oidctest.Provider) { p.ACR = "eidas2" })
		if _, err := f.finish(t, nil); err != nil {
			t.Fatalf("eidas2 for eidas1 requested: %v", err)
		}
	})
}

func TestUnsignedUserinfoAllowedWhenConfigured(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		p, err := f.svc.Store.Provider(ctx, f.a.ID, oidc.FranceConnect)
		if err != nil {
			t.Fatal(err)
		}
		p.SignedUserinfo = false
		if err := f.svc.SaveProvider(ctx, p); err != nil {
			t.Fatal(err)
		}
		f.op.Set(func(p *oidctest.Provider) { p.PlainUserinfo = true })
		if _, err := f.finish(t, nil); err != nil {
			t.Fatalf("plain userinfo with signed_userinfo off: %v", err)
		}
	})
}
