package oidcweb_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"guichet/internal/identity/oidc"
)

// signInAdmin signs a browser in on alpha through FranceConnect as an
// administrator (the provider's email belongs to a verified admin account).
func (e *env) signInAdmin(t *testing.T) *http.Client {
	t.Helper()
	ctx := context.Background()
	u, err := e.users.CreateVerified(ctx, e.alpha.ID, "angela.dubois@example.fr", "Angela Dubois (mairie)")
	if err != nil {
		t.Fatal(err)
	}
	e.sessions.SetStaffSource(admins{u.ID: true})
	c := e.browser(t, false)
	get(t, c, e.site(e.alpha, "/connexion/franceconnect"))
	if e.me(t, c, e.alpha) != "Angela Dubois (mairie)" {
		t.Fatal("admin not signed in")
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	res, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

func TestAdminPageOnlyForAdministrators(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		anon := e.browser(t, true)
		if res, _ := get(t, anon, e.site(e.alpha, "/gestion/franceconnect")); res.StatusCode != http.StatusSeeOther ||
			!strings.HasPrefix(res.Header.Get("Location"), "/connexion") {
			t.Fatalf("signed out: %s to %s", res.Status, res.Header.Get("Location"))
		}
		resident := e.browser(t, false)
		get(t, resident, e.site(e.alpha, "/connexion/franceconnect"))
		if res, _ := get(t, resident, e.site(e.alpha, "/gestion/franceconnect")); res.StatusCode != http.StatusForbidden {
			t.Fatalf("resident: %s", res.Status)
		}
		if res, _ := post(t, resident, e.site(e.alpha, "/gestion/franceconnect"), url.Values{"client_id": {"pirate"}}); res.StatusCode != http.StatusForbidden {
			t.Fatalf("resident post: %s", res.Status)
		}
		p, err := e.svc.Store.Provider(context.Background(), e.alpha.ID, oidc.FranceConnect)
		if err != nil || p.ClientID != e.op.ClientID {
			t.Fatalf("configuration changed by a resident: %+v, %v", p, err)
		}
	})
}

func TestAdminConfiguresFranceConnect(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		c := e.signInAdmin(t)
		page := e.site(e.alpha, "/gestion/franceconnect")
		res, body := get(t, c, page)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("admin page: %s", res.Status)
		}
		for _, want := range []string{e.site(e.alpha, "/connexion/franceconnect/retour"),
			e.site(e.alpha, "/connexion/franceconnect/deconnexion"), `value="` + e.op.ClientID + `"`, `id="champ-issuer"`} {
			if !strings.Contains(body, want) {
				t.Errorf("admin page lacks %q", want)
			}
		}
		if strings.Contains(body, e.op.ClientSecret) {
			t.Error("admin page shows the client secret")
		}

		form := url.Values{"enabled": {"1"}, "signed_userinfo": {"1"}, "issuer": {"http://fournisseur.example/api/v2"},
			"client_id": {"nouvel-id"}, "scopes": {oidc.DefaultScopes}, "acr": {"eidas1"}}
		res, body = post(t, c, page, form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#champ-issuer"`) ||
			!strings.Contains(body, `aria-invalid="true"`) {
			t.Fatalf("plain http issuer: %s", res.Status)
		}
		form.Set("issuer", "http://127.0.0.1:1/api/v2")
		if res, _ = post(t, c, page, form); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("unreachable issuer: %s", res.Status)
		}

		// A valid change with the secret field empty keeps the secret.
		form.Set("issuer", e.op.Issuer)
		res, _ = post(t, c, page, form)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/gestion/franceconnect?enregistre=1" {
			t.Fatalf("save: %s to %s", res.Status, res.Header.Get("Location"))
		}
		p, err := e.svc.Store.Provider(context.Background(), e.alpha.ID, oidc.FranceConnect)
		if err != nil || p.ClientID != "nouvel-id" || p.ClientSecret != e.op.ClientSecret || !p.Enabled {
			t.Fatalf("saved: %+v, %v", p, err)
		}

		// Disabling removes the button at once.
		if got := e.buttons(t, e.alpha); len(got) != 1 {
			t.Fatalf("buttons before disabling: %v", got)
		}
		form.Del("enabled")
		if res, _ = post(t, c, page, form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("disable: %s", res.Status)
		}
		if got := e.buttons(t, e.alpha); len(got) != 0 {
			t.Fatalf("buttons after disabling: %v", got)
		}
		if res, _ := get(t, e.browser(t, true), e.site(e.alpha, "/connexion/franceconnect")); res.StatusCode != http.StatusNotFound {
			t.Fatalf("start while disabled: %s", res.Status)
		}
	})
}

func TestSignInPageButton(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		got := e.buttons(t, e.alpha)
		if len(got) != 1 || got[0] != "/connexion/franceconnect?suite=%2Fdemarches" {
			t.Fatalf("alpha buttons: %v", got)
		}
	})
}

func TestFirstSignInLinksExistingAccount(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		u, err := e.users.CreateVerified(context.Background(), e.alpha.ID, "Angela.Dubois@example.fr", "Angela Dubois")
		if err != nil {
			t.Fatal(err)
		}
		c := e.browser(t, false)
		get(t, c, e.site(e.alpha, "/connexion/franceconnect"))
		if name := e.me(t, c, e.alpha); name != u.Name {
			t.Fatalf("signed in as %q, want the existing %q", name, u.Name)
		}
		if n := countUsers(t, e); n != 1 {
			t.Fatalf("%d accounts, want 1", n)
		}
	})
}

func TestStaffStillOweTheSecondFactor(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		u, err := e.users.CreateVerified(context.Background(), e.alpha.ID, "angela.dubois@example.fr", "Angela Dubois")
		if err != nil {
			t.Fatal(err)
		}
		e.sessions.SetStaffSource(strictAdmins{u.ID: true})
		c := e.browser(t, true)
		res, _ := get(t, c, e.site(e.alpha, "/connexion/franceconnect?suite=/gestion"))
		res, _ = get(t, c, res.Header.Get("Location"))
		res, _ = get(t, c, res.Header.Get("Location"))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/connexion/deuxieme-facteur?suite=%2Fgestion" {
			t.Fatalf("callback: %s to %s", res.Status, res.Header.Get("Location"))
		}
		res, _ = get(t, c, e.site(e.alpha, "/gestion/franceconnect"))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/connexion/deuxieme-facteur?suite=%2Fgestion%2Ffranceconnect" {
			t.Fatalf("admin page before TOTP: %s to %s", res.Status, res.Header.Get("Location"))
		}
	})
}
