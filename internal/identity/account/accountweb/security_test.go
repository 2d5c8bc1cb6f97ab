package accountweb_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"guichet/internal/app"
	"guichet/internal/apptest"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/web"

	"github.com/pquerna/otp/totp"
)

// Signing in always issues a new session id, even over a planted or an
// existing one, and the replaced id stops working.
func TestSessionRenewedAtSignIn(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		e.Resident(e.Town, "marc@exemple.fr", "Marc")
		b := e.Browser(e.Town)
		const planted = "cookie-choisi-par-un-attaquant"
		b.SetCookie(account.CookieName, planted)
		b.SignIn(t, "marc@exemple.fr", apptest.Password)
		first := b.Cookie(account.CookieName)
		if first == "" || first == planted {
			t.Fatalf("session cookie after sign-in: %q", first)
		}
		b.Get("/api/v1/me").Want(t, http.StatusOK)
		b.SignIn(t, "marc@exemple.fr", apptest.Password)
		second := b.Cookie(account.CookieName)
		if second == "" || second == first {
			t.Fatalf("second sign-in kept the session id")
		}
		old := e.Browser(e.Town)
		old.SetCookie(account.CookieName, first)
		old.Get("/api/v1/me").Want(t, http.StatusUnauthorized)
		b.Get("/api/v1/me").Want(t, http.StatusOK)

		b.Post("/deconnexion", nil).WantRedirect(t, "/")
		b.Get("/api/v1/me").Want(t, http.StatusUnauthorized)
		replay := e.Browser(e.Town)
		replay.SetCookie(account.CookieName, second)
		replay.Get("/api/v1/me").Want(t, http.StatusUnauthorized)
	})
}

// The session cookie, and the one that marks the account's own browsers
// for the sign-in limits, carry the attributes that keep them from
// scripts and from other sites.
func TestSessionCookieAttributes(t *testing.T) {
	t.Parallel()
	for _, secure := range []bool{false, true} {
		e := apptest.New(t, "sqlite:"+t.TempDir()+"/g.db", apptest.WithConfig(func(c *app.Config) { c.Secure = secure }))
		e.Resident(e.Town, "marc@exemple.fr", "Marc")
		res := e.Browser(e.Town).Post("/connexion", url.Values{"email": {"marc@exemple.fr"}, "password": {apptest.Password}})
		for _, name := range []string{account.CookieName, web.DeviceCookie} {
			var set *http.Cookie
			for _, c := range (&http.Response{Header: res.Header}).Cookies() {
				if c.Name == name {
					set = c
				}
			}
			if set == nil || !set.HttpOnly || set.SameSite != http.SameSiteLaxMode || set.Path != "/" || set.Secure != secure {
				t.Errorf("secure=%v: cookie %s %+v", secure, name, set)
			}
		}
	}
}

// A POST from another site is refused before it changes anything.
func TestCrossSitePostRefused(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		u := e.Resident(e.Town, "marc@exemple.fr", "Marc")
		b := e.Browser(e.Town)
		b.SignIn(t, "marc@exemple.fr", apptest.Password)
		cross := http.Header{"Sec-Fetch-Site": {"cross-site"}}
		rows := []struct {
			path string
			form url.Values
		}{
			{"/compte", url.Values{"name": {"Pirate"}, "lang": {"en"}}},
			{"/compte/supprimer", url.Values{"password": {apptest.Password}}},
			{"/deconnexion", url.Values{}},
			{"/connexion", url.Values{"email": {"marc@exemple.fr"}, "password": {apptest.Password}}},
			{"/inscription", url.Values{"name": {"X"}, "email": {"x@exemple.fr"}, "password": {apptest.Password},
				"password_confirm": {apptest.Password}}},
			{"/mot-de-passe-oublie", url.Values{"email": {"marc@exemple.fr"}}},
		}
		for _, row := range rows {
			if res := b.Do(http.MethodPost, row.path, row.form, cross); res.Status != http.StatusForbidden {
				t.Errorf("cross-site POST %s: status %d, want 403", row.path, res.Status)
			}
		}
		got, err := e.App.Accounts.Get(context.Background(), e.Town.ID, u.ID)
		if err != nil || got.Name != "Marc" || got.Lang != "fr" {
			t.Fatalf("account changed by cross-site requests: %+v, %v", got, err)
		}
		if _, err := e.App.Accounts.ByEmail(context.Background(), e.Town.ID, "x@exemple.fr"); err == nil {
			t.Fatal("cross-site sign-up created an account")
		}
		b.Get("/api/v1/me").Want(t, http.StatusOK) // still signed in
		b.Do(http.MethodPost, "/compte", url.Values{"name": {"Marc D."}, "lang": {"fr"}},
			http.Header{"Sec-Fetch-Site": {"same-origin"}}).WantRedirect(t, "/compte?ok=profil")
	})
}

// After five failures for one address, sign-in is refused for 15 minutes,
// with the same answers whether or not the address has an account.
func TestSignInThrottled(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		e.Resident(e.Town, "marc@exemple.fr", "Marc")
		const known, unknown = "marc@exemple.fr", "personne@exemple.fr"
		attempt := func(email, password string) *apptest.Response {
			return e.Browser(e.Town).Post("/connexion", url.Values{"email": {email}, "password": {password}})
		}
		for i := 1; i <= 5; i++ {
			k := attempt(known, "Mauvais-mot-de-passe-1")
			u := attempt(unknown, "Mauvais-mot-de-passe-1")
			if k.Status != http.StatusUnauthorized || u.Status != http.StatusUnauthorized {
				t.Fatalf("failure %d: statuses %d and %d, want 401", i, k.Status, u.Status)
			}
			if without(k.Body, known) != without(u.Body, unknown) {
				t.Fatalf("failure %d: pages differ for a known and an unknown address", i)
			}
			k.WantBody(t, "Adresse électronique ou mot de passe incorrect.")
		}
		k := attempt(known, apptest.Password) // even the right password
		u := attempt(unknown, apptest.Password)
		if k.Status != http.StatusTooManyRequests || u.Status != http.StatusTooManyRequests {
			t.Fatalf("6th attempt: statuses %d and %d, want 429", k.Status, u.Status)
		}
		if without(k.Body, known) != without(u.Body, unknown) || k.Header.Get("Retry-After") == "" {
			t.Fatal("throttled pages differ for a known and an unknown address, or lack Retry-After")
		}
		k.WantBody(t, "Trop de tentatives de connexion")
		// Another address from the same place is not blocked yet.
		e.Resident(e.Town, "lea@exemple.fr", "Léa")
		e.Browser(e.Town).SignIn(t, "lea@exemple.fr", apptest.Password)
		// The same address on another collectivité is a separate account.
		e.Resident(e.Village, known, "Marc au village")
		e.Browser(e.Village).SignIn(t, known, apptest.Password)
	})
}

// A reset link works once, expires, and signs the account out everywhere.
func TestPasswordReset(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		const email = "marc@exemple.fr"
		u := e.Resident(e.Town, email, "Marc")
		elsewhere := e.Browser(e.Town)
		elsewhere.SignIn(t, email, apptest.Password)

		b := e.Browser(e.Town)
		b.Get("/mot-de-passe-oublie").Want(t, http.StatusOK)
		none := b.Post("/mot-de-passe-oublie", url.Values{"email": {"personne@exemple.fr"}}).Want(t, http.StatusOK)
		some := b.Post("/mot-de-passe-oublie", url.Values{"email": {email}}).Want(t, http.StatusOK)
		if without(none.Body, "personne@exemple.fr") != without(some.Body, email) {
			t.Fatal("the reset page differs for a known and an unknown address")
		}
		some.WantBody(t, "Si un compte existe")
		m := e.Mail.WaitFor(t, email, mailWait)
		link := linkIn(t, m, "/mot-de-passe/nouveau?jeton=")
		for _, msg := range e.Mail.Messages() {
			if msg.IsTo("personne@exemple.fr") {
				t.Fatal("a reset mail went to an address without an account")
			}
		}

		b.Get(path(t, link)).Want(t, http.StatusOK).WantBody(t, `autocomplete="new-password"`)
		tok := token(t, link)
		b.Post("/mot-de-passe/nouveau", url.Values{"jeton": {tok}, "password": {"faible"}, "password_confirm": {"faible"}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, `href="#champ-password"`)
		const fresh = "Nouvelle-Cle-2026!"
		b.Post("/mot-de-passe/nouveau", url.Values{"jeton": {tok}, "password": {fresh}, "password_confirm": {fresh}}).
			WantRedirect(t, "/connexion?ok=mot-de-passe")
		// The link proved the mailbox: this browser is the account's own
		// for the sign-in limits.
		if b.Cookie(web.DeviceCookie) == "" {
			t.Error("no device cookie after a reset")
		}
		b.Post("/mot-de-passe/nouveau", url.Values{"jeton": {tok}, "password": {fresh + "x"}, "password_confirm": {fresh + "x"}}).
			Want(t, http.StatusGone)
		b.Get(path(t, link)).Want(t, http.StatusGone)

		elsewhere.Get("/api/v1/me").Want(t, http.StatusUnauthorized)
		if res := e.Browser(e.Town).Post("/connexion", url.Values{"email": {email}, "password": {apptest.Password}}); res.Status != http.StatusUnauthorized {
			t.Fatalf("old password still accepted: %d", res.Status)
		}
		e.Browser(e.Town).SignIn(t, email, fresh)

		expired, err := e.App.Accounts.NewToken(context.Background(), e.Town.ID, u.ID, account.PurposeReset, -time.Second)
		if err != nil {
			t.Fatal(err)
		}
		b.Get("/mot-de-passe/nouveau?jeton="+expired).Want(t, http.StatusGone)
		b.Post("/mot-de-passe/nouveau", url.Values{"jeton": {expired}, "password": {fresh}, "password_confirm": {fresh}}).
			Want(t, http.StatusGone)
	}, apptest.WithMail())
}

// Nothing of one collectivité's accounts works on another's site.
func TestAccountTenantIsolation(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		u := e.Resident(e.Town, "marc@exemple.fr", "Marc")
		town := e.Browser(e.Town)
		town.SignIn(t, "marc@exemple.fr", apptest.Password)
		cookie := town.Cookie(account.CookieName)

		village := e.Browser(e.Village)
		village.SetCookie(account.CookieName, cookie)
		rows := []struct {
			method, path string
			want         int
		}{
			{"GET", "/api/v1/me", http.StatusUnauthorized},
			{"GET", "/api/v1/me/data", http.StatusUnauthorized},
			{"GET", "/compte", http.StatusSeeOther},
			{"GET", "/compte/donnees", http.StatusSeeOther},
		}
		for _, row := range rows {
			if res := village.Do(row.method, row.path, nil, nil); res.Status != row.want {
				t.Errorf("%s %s on the village with the town's cookie: %d, want %d", row.method, row.path, res.Status, row.want)
			}
		}
		village.Post("/compte/supprimer", url.Values{"password": {apptest.Password}}).Want(t, http.StatusUnauthorized)
		if res := e.Browser(e.Village).Post("/connexion", url.Values{"email": {"marc@exemple.fr"}, "password": {apptest.Password}}); res.Status != http.StatusUnauthorized {
			t.Errorf("town resident signed in on the village: %d", res.Status)
		}
		tok, err := e.App.Accounts.NewToken(ctx, e.Town.ID, u.ID, account.PurposeVerify, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		e.Browser(e.Village).Get("/compte/verification?jeton="+tok).Want(t, http.StatusGone)
		e.Browser(e.Village).Post("/compte/verification", url.Values{"jeton": {tok}}).Want(t, http.StatusGone)
		platform := e.Browser(e.Platform)
		platform.SetCookie(account.CookieName, cookie)
		platform.Get("/api/v1/me").Want(t, http.StatusUnauthorized)
		town.Get("/api/v1/me").Want(t, http.StatusOK)
	})
}

// Staff who must pass the second factor are sent to it after their
// password, keeping where they were going.
func TestStaffSentToSecondFactor(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		u := e.Resident(e.Town, "agent@exemple.fr", "Agent")
		if err := e.App.Staff.Add(context.Background(), e.Town.ID, u.ID, staff.Grant{Roles: []account.Role{account.RoleAgent},
			Services: []string{"etat-civil"}}); err != nil {
			t.Fatal(err)
		}
		b := e.Browser(e.Town)
		res := b.Post("/connexion", url.Values{"email": {"agent@exemple.fr"}, "password": {apptest.Password}, "suite": {"/gestion"}})
		res.WantRedirect(t, account.SecondFactorPath+"?suite=%2Fgestion")
		// Until it is passed, the API says what is due and nothing more.
		b.Get("/api/v1/me").Want(t, http.StatusForbidden).WantBody(t, "application d'authentification", `"code":"forbidden"`)
	})
}

// A staff session that has not passed the second factor is not a sign-in
// yet: it can neither rename the account, nor download its data, nor
// delete it; it reaches the second factor's page, public pages and the
// sign-out, and every action once the code is given.
func TestSecondFactorBeforeAccountActions(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		const email = "agent@exemple.fr"
		u := e.Resident(e.Town, email, "Agent")
		if err := e.App.Staff.Add(ctx, e.Town.ID, u.ID, staff.Grant{Roles: []account.Role{account.RoleAgent},
			Services: []string{"etat-civil"}}); err != nil {
			t.Fatal(err)
		}
		if err := e.App.Staff.EnrolWithSecret(ctx, e.Town.ID, u.ID, app.DemoTOTPSecret); err != nil {
			t.Fatal(err)
		}
		b := e.Browser(e.Town)
		b.SignIn(t, email, apptest.Password).WantRedirect(t, account.SecondFactorPath)

		for _, a := range []struct {
			name, method, path string
			form               url.Values
			status             int
			location           string
		}{
			{"rename", "POST", "/compte", url.Values{"name": {"Pirate"}, "lang": {"fr"}}, http.StatusForbidden, ""},
			{"download", "GET", "/compte/donnees", nil, http.StatusSeeOther, account.SecondFactorPath + "?suite=%2Fcompte%2Fdonnees"},
			{"download by the API", "GET", "/api/v1/me/data", nil, http.StatusForbidden, ""},
			{"delete", "POST", "/compte/supprimer", url.Values{"password": {apptest.Password}, "confirm": {"1"}}, http.StatusForbidden, ""},
		} {
			if res := b.Do(a.method, a.path, a.form, nil); res.Status != a.status || res.Location != a.location {
				t.Errorf("%s before the second factor: %d to %q, want %d to %q", a.name, res.Status, res.Location, a.status, a.location)
			}
		}
		if got, err := e.App.Accounts.ByEmail(ctx, e.Town.ID, email); err != nil || got.Name != "Agent" {
			t.Fatalf("after the refused actions: %+v, %v", got, err)
		}

		b.Get(account.SecondFactorPath).Want(t, http.StatusOK)
		b.Get("/").Want(t, http.StatusOK).WantBody(t, `href="/connexion"`) // seen as signed out
		code, err := totp.GenerateCode(app.DemoTOTPSecret, e.App.Now())
		if err != nil {
			t.Fatal(err)
		}
		b.Post(account.SecondFactorPath, url.Values{"code": {code}}).WantRedirect(t, "/gestion")
		b.Get("/compte/donnees").Want(t, http.StatusOK).WantBody(t, email)
		b.Post("/compte", url.Values{"name": {"Agent Dupont"}, "lang": {"fr"}}).WantRedirect(t, "/compte?ok=profil")

		other := e.Browser(e.Town)
		other.SignIn(t, email, apptest.Password).WantRedirect(t, account.SecondFactorPath)
		other.Post("/deconnexion", nil).WantRedirect(t, "/")
		other.Get(account.SecondFactorPath).WantRedirect(t, "/connexion")
	})
}

// Operators sign in on the platform host, where nobody can sign up.
func TestPlatformSignIn(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		e.Resident(e.Platform, "ops@exemple.fr", "Opératrice")
		b := e.Browser(e.Platform)
		b.Get("/connexion").Want(t, http.StatusOK).WantBody(t, `action="/connexion"`)
		if strings.Contains(b.Get("/connexion").Body, "/inscription") {
			t.Fatal("the platform sign-in page offers sign-up")
		}
		b.Get("/inscription").Want(t, http.StatusNotFound)
		b.SignIn(t, "ops@exemple.fr", apptest.Password)
		b.Get("/api/v1/me").Want(t, http.StatusOK).WantBody(t, "ops@exemple.fr")
		b.Post("/deconnexion", nil).WantRedirect(t, "/")
		b.Get("/api/v1/me").Want(t, http.StatusUnauthorized)
	})
}
