package accountweb_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"guichet/internal/app"
	"guichet/internal/apptest"
	"guichet/internal/identity/account"
)

// Guessable but long enough passwords are refused on sign-up, reset and
// change, with a message in the reader's language that asks for a longer
// passphrase (ASVS 6.2.4).
func TestGuessablePasswordRefusedOnEveryForm(t *testing.T) {
	t.Parallel()
	const french, english = "Choisissez plutôt une phrase de passe plus longue", "Choose a longer passphrase instead"
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		for _, weak := range []string{"Password.1234!", "Azertyuiop1234!", strings.ToUpper(e.Town.Slug[:1]) + e.Town.Slug[1:] + "2026!!", "Marc.Durand-2026"} {
			signUp(e.Browser(e.Town), "Marc Durand", "nouveau@exemple.fr", weak).
				Want(t, http.StatusUnprocessableEntity).WantBody(t, `href="#champ-password"`, french)
		}
		en := e.Browser(e.Town)
		en.SetCookie("lang", "en")
		signUp(en, "Marc Durand", "nouveau@exemple.fr", "Password.1234!").
			Want(t, http.StatusUnprocessableEntity).WantBody(t, english)
		if _, err := e.App.Accounts.ByEmail(context.Background(), e.Town.ID, "nouveau@exemple.fr"); err == nil {
			t.Fatal("an account was created with a guessable password")
		}

		u := e.Resident(e.Town, "marc@exemple.fr", "Marc Durand")
		tok, err := e.App.Accounts.NewToken(context.Background(), e.Town.ID, u.ID, account.PurposeReset, account.ResetTokenTTL)
		if err != nil {
			t.Fatal(err)
		}
		e.Browser(e.Town).Post("/mot-de-passe/nouveau", url.Values{"jeton": {tok}, "password": {"Durand-Exemple-2026"},
			"password_confirm": {"Durand-Exemple-2026"}}).Want(t, http.StatusUnprocessableEntity).WantBody(t, french)

		b := e.Browser(e.Town)
		b.SignIn(t, "marc@exemple.fr", apptest.Password)
		b.Post(accountsPassword, url.Values{"current_password": {apptest.Password}, "password": {"Motdepasse.2024!"},
			"password_confirm": {"Motdepasse.2024!"}}).Want(t, http.StatusUnprocessableEntity).WantBody(t, french)
		b.SetCookie("lang", "en")
		b.Post(accountsPassword, url.Values{"current_password": {apptest.Password}, "password": {"Motdepasse.2024!"},
			"password_confirm": {"Motdepasse.2024!"}}).Want(t, http.StatusUnprocessableEntity).WantBody(t, english)
		e.Browser(e.Town).SignIn(t, "marc@exemple.fr", apptest.Password) // unchanged
	})
}

const accountsPassword = "/compte/mot-de-passe"

// A signed-in person changes their password after typing the current one
// (ASVS 6.2.2, 6.2.3): every session ends, the old password stops
// working, and a wrong current password counts as a failed sign-in.
func TestPasswordChange(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		const email, fresh = "marc@exemple.fr", "cheval-lampe-orage-tulipe"
		e.Resident(e.Town, email, "Marc")
		elsewhere := e.Browser(e.Town)
		elsewhere.SignIn(t, email, apptest.Password)
		b := e.Browser(e.Town)
		b.SignIn(t, email, apptest.Password)
		b.Get("/compte").Want(t, http.StatusOK).WantBody(t, `href="/compte/mot-de-passe"`)
		b.Get(accountsPassword).Want(t, http.StatusOK).
			WantBody(t, `autocomplete="current-password"`, `autocomplete="new-password"`, "phrase de passe")

		b.Post(accountsPassword, url.Values{"current_password": {"pas le bon"}, "password": {fresh}, "password_confirm": {fresh}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, `href="#champ-current_password"`, "mot de passe actuel est incorrect")
		b.Post(accountsPassword, url.Values{"current_password": {apptest.Password}, "password": {fresh}, "password_confirm": {"autre"}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, `href="#champ-password_confirm"`)
		b.Post(accountsPassword, url.Values{"current_password": {apptest.Password}, "password": {fresh}, "password_confirm": {fresh}}).
			WantRedirect(t, "/connexion?ok=mot-de-passe")
		if b.Cookie(account.CookieName) != "" {
			t.Fatal("the session cookie outlived the change of password")
		}
		b.Get("/connexion?ok=mot-de-passe").WantBody(t, "Votre mot de passe a été changé")
		elsewhere.Get("/api/v1/me").Want(t, http.StatusUnauthorized)
		if res := e.Browser(e.Town).Post("/connexion", url.Values{"email": {email}, "password": {apptest.Password}}); res.Status != http.StatusUnauthorized {
			t.Fatalf("old password still accepted: %d", res.Status)
		}
		e.Browser(e.Town).SignIn(t, email, fresh)

		// Wrong current passwords are sign-in failures, limited alike.
		c := e.Browser(e.Town)
		c.SignIn(t, email, fresh)
		for range 5 {
			c.Post(accountsPassword, url.Values{"current_password": {"pas le bon"}}).Want(t, http.StatusUnprocessableEntity)
		}
		c.Post(accountsPassword, url.Values{"current_password": {fresh}, "password": {apptest.Password},
			"password_confirm": {apptest.Password}}).Want(t, http.StatusTooManyRequests)
	})
}

// A staff member's change of password goes to the audit log.
func TestStaffPasswordChangeAudited(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		const email, fresh = "admin@montclair.localhost", "cheval-lampe-orage-tulipe"
		b := e.Browser(e.Town).SignInDemo(t, email)
		b.Post(accountsPassword, url.Values{"current_password": {app.DemoPassword}, "password": {fresh}, "password_confirm": {fresh}}).
			WantRedirect(t, "/connexion?ok=mot-de-passe")
		entries, _, err := e.App.Staff.Audit(context.Background(), e.Town.ID, "", 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) == 0 || entries[0].Action != "account.password_changed" || entries[0].Target != email {
			t.Fatalf("latest audit entries: %+v", entries)
		}
	}, apptest.WithDemoData())
}
