package oidcweb_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"guichet/internal/identity/account"
	"guichet/internal/identity/oidc/oidctest"
)

func TestFullFlowSignsTheResidentIn(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		c := e.browser(t, false)
		res, body := get(t, c, e.site(e.alpha, "/connexion/franceconnect?suite=/api/v1/me"))
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `"name":"Angela Claire Louise Dubois"`) {
			t.Fatalf("after the flow: %s %s (at %s)", res.Status, body, res.Request.URL)
		}
		if res.Request.URL.Path != "/api/v1/me" {
			t.Fatalf("landed on %s, want /api/v1/me", res.Request.URL)
		}
		ck := cookieNamed(c, e.site(e.alpha, "/"), account.CookieName)
		if ck == nil {
			t.Fatal("no session cookie")
		}
		// What the provider received.
		auths := e.op.Authorizations()
		if len(auths) != 1 {
			t.Fatalf("%d authorization requests", len(auths))
		}
		q := auths[0]
		if q.Get("acr_values") != "eidas1" || len(q.Get("nonce")) < 22 || len(q.Get("state")) < 22 ||
			q.Get("redirect_uri") != e.site(e.alpha, "/connexion/franceconnect/retour") {
			t.Fatalf("authorization request: %v", q)
		}
		if e.me(t, c, e.alpha) != "Angela Claire Louise Dubois" {
			t.Fatal("session not kept")
		}
		// The session is alpha's only.
		if name := e.me(t, c, e.beta); name != "" {
			t.Fatalf("signed in on beta as %q", name)
		}
	})
}

func TestSessionCookieAndBrowserBinding(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		c := e.browser(t, true)
		res, _ := get(t, c, e.site(e.alpha, "/connexion/franceconnect"))
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), e.op.Issuer[:strings.LastIndex(e.op.Issuer, "/api")]) {
			t.Fatalf("start: %s to %s", res.Status, res.Header.Get("Location"))
		}
		var bind *http.Cookie
		for _, ck := range res.Cookies() {
			if ck.Name == "guichet_oidc" {
				bind = ck
			}
		}
		if bind == nil || !bind.HttpOnly || bind.SameSite != http.SameSiteLaxMode || bind.Path != "/connexion/franceconnect/retour" || bind.MaxAge <= 0 || bind.MaxAge > 900 {
			t.Fatalf("binding cookie: %+v", bind)
		}
		// The provider approves and sends the browser back.
		res, _ = get(t, c, res.Header.Get("Location"))
		back := res.Header.Get("Location")
		// Another browser presenting the same answer is refused.
		other := e.browser(t, true)
		res, _ = get(t, other, back)
		if res.StatusCode != http.StatusForbidden || cookieNamed(other, e.site(e.alpha, "/"), account.CookieName) != nil {
			t.Fatalf("other browser: %s", res.Status)
		}
	})
}

func TestWrongStateRefused(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		c := e.browser(t, true)
		res, _ := get(t, c, e.site(e.alpha, "/connexion/franceconnect"))
		res, _ = get(t, c, res.Header.Get("Location"))
		back, err := url.Parse(res.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		q := back.Query()
		q.Set("state", "n0t-the-state-that-was-sent-to-the-provider")
		back.RawQuery = q.Encode()
		res, body := get(t, c, back.String())
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("wrong state: %s", res.Status)
		}
		if !strings.Contains(body, "n&#39;est pas valable") {
			t.Fatalf("wrong state page does not say why: %s", body)
		}
		if cookieNamed(c, e.site(e.alpha, "/"), account.CookieName) != nil || e.me(t, c, e.alpha) != "" {
			t.Fatal("signed in despite a wrong state")
		}
		if n := countUsers(t, e); n != 0 {
			t.Fatalf("%d account(s) created", n)
		}
	})
}

func TestBadUserinfoSignatureRefused(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		e.op.Set(func(p *oidctest.Provider) { p.BadUserinfoSignature = true })
		c := e.browser(t, false)
		res, _ := get(t, c, e.site(e.alpha, "/connexion/franceconnect"))
		if res.StatusCode != http.StatusForbidden || e.me(t, c, e.alpha) != "" {
			t.Fatalf("bad userinfo signature: %s", res.Status)
		}
		if n := countUsers(t, e); n != 0 {
			t.Fatalf("%d account(s) created", n)
		}
	})
}

func TestLogoutGoesToTheProvider(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		c := e.browser(t, false)
		get(t, c, e.site(e.alpha, "/connexion/franceconnect"))
		if e.me(t, c, e.alpha) == "" {
			t.Fatal("not signed in")
		}
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		res, err := c.PostForm(e.site(e.alpha, "/deconnexion"), nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		loc, err := url.Parse(res.Header.Get("Location"))
		if err != nil || res.StatusCode != http.StatusSeeOther || loc.Path != "/session/end" {
			t.Fatalf("sign-out: %s to %s", res.Status, res.Header.Get("Location"))
		}
		q := loc.Query()
		if q.Get("id_token_hint") == "" || len(q.Get("state")) < 22 ||
			q.Get("post_logout_redirect_uri") != e.site(e.alpha, "/connexion/franceconnect/deconnexion") {
			t.Fatalf("end_session query: %v", q)
		}
		// The provider sends the browser back to a page saying so.
		c.CheckRedirect = nil
		res2, body := get(t, c, loc.String())
		if res2.StatusCode != http.StatusOK || res2.Request.URL.Path != "/connexion/franceconnect/deconnexion" ||
			!strings.Contains(body, "Vous êtes déconnecté de ce site") {
			t.Fatalf("landing: %s %s", res2.Status, res2.Request.URL)
		}
		if ends := e.op.EndSessions(); len(ends) != 1 || ends[0].Get("id_token_hint") != q.Get("id_token_hint") {
			t.Fatalf("provider end_session requests: %v", ends)
		}
		if e.me(t, c, e.alpha) != "" {
			t.Fatal("still signed in")
		}
	})
}

func TestProviderOfAlphaUnusedOnBeta(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		c := e.browser(t, true)
		res, _ := get(t, c, e.site(e.beta, "/connexion/franceconnect"))
		if res.StatusCode != http.StatusNotFound {
			t.Fatalf("beta start: %s to %s", res.Status, res.Header.Get("Location"))
		}
		// A provider answer for alpha replayed at beta's callback is refused.
		res, _ = get(t, c, e.site(e.alpha, "/connexion/franceconnect"))
		res, _ = get(t, c, res.Header.Get("Location"))
		back, _ := url.Parse(res.Header.Get("Location"))
		atBeta := e.site(e.beta, back.Path) + "?" + back.RawQuery
		res, _ = get(t, c, atBeta)
		if res.StatusCode != http.StatusForbidden || e.me(t, c, e.beta) != "" {
			t.Fatalf("alpha's answer at beta: %s", res.Status)
		}
		if len(e.op.Authorizations()) != 1 {
			t.Fatalf("provider saw %d authorizations, want alpha's only", len(e.op.Authorizations()))
		}
		// No button on beta's sign-in page.
		if got := e.buttons(t, e.beta); len(got) != 0 {
			t.Fatalf("beta shows %v", got)
		}
	})
}

func countUsers(t *testing.T, e *env) int {
	t.Helper()
	var n int
	if err := e.d.QueryRow(t.Context(), `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
