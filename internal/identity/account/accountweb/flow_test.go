package accountweb_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/identity/account"
)

// A resident signs up, confirms their address, signs in, edits their
// profile, downloads their data and deletes their account.
func TestResidentLifecycle(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town)
		const email = "lucie.bernard@exemple.fr"
		b.Get("/inscription").Want(t, http.StatusOK).WantBody(t, "Créer un compte", "Au moins 12 caractères",
			`id="champ-password-hint"`)
		b.Post("/inscription", url.Values{"name": {"Lucie Bernard"}, "email": {email},
			"password": {apptest.Password}, "password_confirm": {"autre chose"}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, `href="#champ-password_confirm"`, "ne sont pas identiques")
		b.Post("/inscription", url.Values{"name": {"Lucie Bernard"}, "email": {email},
			"password": {"motdepasse"}, "password_confirm": {"motdepasse"}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, `href="#champ-password"`)
		signUp(b, "Lucie Bernard", email, apptest.Password).Want(t, http.StatusOK).WantBody(t, "Consultez votre messagerie")
		if b.Cookie(account.CookieName) != "" {
			t.Fatal("sign-up opened a session before the address was confirmed")
		}

		m := e.Mail.WaitFor(t, email, mailWait)
		if !strings.Contains(m.Subject, "Confirmez votre adresse") || !strings.Contains(m.Subject, e.Town.Name) {
			t.Fatalf("verification subject %q", m.Subject)
		}
		link := linkIn(t, m, "/compte/verification?jeton=")
		if len(m.HTMLLinks()) == 0 {
			t.Fatal("verification mail has no HTML part with the link")
		}
		// Opening the link (as a mail scanner would) does not use it.
		b.Get(path(t, link)).Want(t, http.StatusOK).WantBody(t, "Confirmer mon adresse")
		b.Get(path(t, link)).Want(t, http.StatusOK)
		b.Post("/compte/verification", url.Values{"jeton": {token(t, link)}}).WantRedirect(t, "/connexion?ok=verifie")
		b.Post("/compte/verification", url.Values{"jeton": {token(t, link)}}).Want(t, http.StatusGone)

		b.Get("/connexion?ok=verifie").Want(t, http.StatusOK).WantBody(t, "adresse électronique est confirmée")
		b.SignIn(t, email, apptest.Password).WantRedirect(t, "/compte")
		b.Get("/compte").Want(t, http.StatusOK).WantBody(t, email, "adresse confirmée", "Lucie Bernard")

		b.Post("/compte", url.Values{"name": {"Lucie B."}, "lang": {"xx"}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, `href="#champ-lang"`)
		b.Post("/compte", url.Values{"name": {"Lucie B."}, "lang": {"en"}, "text_size": {"large"},
			"line_spacing": {"wide"}, "high_contrast": {"1"}}).WantRedirect(t, "/compte?ok=profil")
		b.Get("/compte?ok=profil").Want(t, http.StatusOK).WantBody(t, `lang="en"`, "Your preferences have been saved")

		var me struct {
			Email         string
			Name          string
			Lang          string
			EmailVerified bool `json:"email_verified"`
			Preferences   account.Preferences
			Roles         []string
		}
		res := b.Get("/api/v1/me").Want(t, http.StatusOK)
		decode(t, res, &me)
		if me.Email != email || me.Name != "Lucie B." || me.Lang != "en" || !me.EmailVerified ||
			me.Preferences != (account.Preferences{TextSize: "large", LineSpacing: "wide", HighContrast: true}) ||
			me.Roles == nil || len(me.Roles) != 0 {
			t.Fatalf("/api/v1/me = %+v", me)
		}

		res = b.Get("/compte/donnees").Want(t, http.StatusOK)
		if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".json") {
			t.Fatalf("Content-Disposition %q", cd)
		}
		var data struct {
			Account  struct{ Email, Name string }
			Sessions []map[string]any
		}
		decode(t, res, &data)
		if data.Account.Email != email || data.Account.Name != "Lucie B." || len(data.Sessions) != 1 {
			t.Fatalf("export = %s", res.Body)
		}
		if strings.Contains(res.Body, "argon2") {
			t.Fatal("the export contains the password hash")
		}
		b.Get("/api/v1/me/data").Want(t, http.StatusOK).WantBody(t, email)

		b.Get("/compte/supprimer").Want(t, http.StatusOK)
		b.Post("/compte/supprimer", url.Values{"password": {"pas le bon"}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, `href="#champ-password"`)
		b.Post("/compte/supprimer", url.Values{"password": {apptest.Password}}).Want(t, http.StatusOK).
			WantBody(t, "Account deleted")
		if b.Cookie(account.CookieName) != "" {
			t.Fatal("session cookie kept after deleting the account")
		}
		b.Get("/compte").WantRedirect(t, "/connexion?suite=%2Fcompte")
		b.Get("/api/v1/me").Want(t, http.StatusUnauthorized)
		if _, err := e.App.Accounts.ByEmail(context.Background(), e.Town.ID, email); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("account still there: %v", err)
		}
	}, apptest.WithMail())
}

// Signing up with an address that has an account shows the same page and
// mails its owner instead: the page never tells who has an account.
func TestSignUpWithExistingEmail(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		e.Resident(e.Town, "paul.durand@exemple.fr", "Paul Durand")
		fresh := signUp(e.Browser(e.Town), "Nouvelle Personne", "nouvelle@exemple.fr", apptest.Password).Want(t, http.StatusOK)
		taken := signUp(e.Browser(e.Town), "Quelqu'un", "Paul.Durand@exemple.fr", apptest.Password).Want(t, http.StatusOK)
		if without(fresh.Body, "nouvelle@exemple.fr") != without(taken.Body, "Paul.Durand@exemple.fr") {
			t.Fatal("the sign-up page differs for an address that has an account")
		}
		m := e.Mail.WaitFor(t, "paul.durand@exemple.fr", mailWait)
		if !strings.Contains(m.Subject, "déjà un compte") {
			t.Fatalf("owner got %q", m.Subject)
		}
		linkIn(t, m, "/mot-de-passe-oublie")
		u, err := e.App.Accounts.ByEmail(context.Background(), e.Town.ID, "paul.durand@exemple.fr")
		if err != nil || u.Name != "Paul Durand" {
			t.Fatalf("existing account changed: %+v, %v", u, err)
		}
		e.Mail.WaitFor(t, "nouvelle@exemple.fr", mailWait)
	}, apptest.WithMail())
}

// The "suite" parameter brings people back where they were, never to
// another site.
func TestSignInReturnPath(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		e.Resident(e.Town, "ines@exemple.fr", "Inès")
		cases := []struct{ suite, want string }{
			{"/compte/donnees", "/compte/donnees"},
			{"//evil.example/", "/compte"},
			{"https://evil.example/", "/compte"},
			{"/\t/evil.example", "/compte"}, // what "?suite=/%09/evil.example" decodes to
			{"/%09/evil.example", "/compte"},
			{"/\\evil.example", "/compte"},
			{"/%2F/evil.example", "/compte"},
			{"", "/compte"},
		}
		for _, c := range cases {
			b := e.Browser(e.Town)
			b.Get("/connexion?suite="+url.QueryEscape(c.suite)).Want(t, http.StatusOK)
			res := b.Post("/connexion", url.Values{"email": {"ines@exemple.fr"}, "password": {apptest.Password},
				"suite": {c.suite}})
			if res.Status != http.StatusSeeOther || res.Location != c.want {
				t.Errorf("suite %q: %d to %q, want %q", c.suite, res.Status, res.Location, c.want)
			}
		}
	})
}
