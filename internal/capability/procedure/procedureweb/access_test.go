package procedureweb_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
)

// accessCookieOf returns the Set-Cookie line of a case's access cookie.
func accessCookieOf(res *apptest.Response, id string) string {
	for _, c := range res.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "guichet-dossier-"+id+"=") {
			return c
		}
	}
	return ""
}

// TestAccessLinkAsksForAClickThenForgets: the link mailed for a case
// without account proves the address only by its page's button (a mail
// scanner opening it proves nothing); once proven, it opens the case at
// once. The browser keeps access 12 hours after the last visit, and the
// case page's button makes it forget at once.
func TestAccessLinkAsksForAClickThenForgets(t *testing.T) {
	t.Parallel()
	eachDemo(t, func(t *testing.T, e *apptest.Env) {
		const email = "lien@exemple.fr"
		anon := e.Browser(e.Town)
		anon.Post("/demarches/acte-de-naissance/commencer", url.Values{"name": {"Lien Unique"}, "email": {email}}).
			Want(t, http.StatusOK)
		link, _ := url.Parse(e.Mail.WaitFor(t, email, 10*time.Second).Link("/acces/"))
		id := caseURL.FindStringSubmatch(link.Path)[1]
		verified := func() bool {
			t.Helper()
			var v bool
			if err := e.App.DB.QueryRow(t.Context(), `SELECT email_verified FROM cases WHERE tenant_id = ? AND id = ?`,
				e.Town.ID, id).Scan(&v); err != nil {
				t.Fatal(err)
			}
			return v
		}

		scanner := e.Browser(e.Town)
		page := scanner.Get(link.Path).Want(t, http.StatusOK).WantBody(t, "<h1>Ouvrir votre dossier</h1>",
			"Demande d&#39;acte de naissance", email, `<form method="post" action="`+link.Path+`">`)
		if accessCookieOf(page, id) != "" || verified() {
			t.Fatal("opening the link proved the address or handed out the access cookie")
		}
		english := e.Browser(e.Town)
		english.SetCookie("lang", "en")
		english.Get(link.Path).Want(t, http.StatusOK).WantBody(t, "<h1>Open your application</h1>", "Confirm my address and open the application")
		wrong := link.Path[:len(link.Path)-1] + "x" // a wrong token proves nothing
		if strings.HasSuffix(link.Path, "x") {
			wrong = link.Path[:len(link.Path)-1] + "y"
		}
		scanner.Post(wrong, nil).Want(t, http.StatusUnprocessableEntity)
		if verified() {
			t.Fatal("a wrong token proved the address")
		}

		res := anon.Post(link.Path, nil).WantRedirect(t, "/dossiers/"+id+"/etape/1")
		if c := accessCookieOf(res, id); !strings.Contains(c, "Max-Age=43200") || !strings.Contains(c, "HttpOnly") {
			t.Errorf("access cookie %q, want 12 hours, HttpOnly", c)
		}
		if !verified() {
			t.Fatal("the button did not prove the address")
		}
		// Proven, the link opens the case at once, on any device.
		other := e.Browser(e.Town)
		other.Get(link.Path).WantRedirect(t, "/dossiers/"+id+"/etape/1")
		// Each visit of the case's pages gives the cookie 12 more hours.
		if c := accessCookieOf(anon.Get("/dossiers/"+id+"/etape/1").Want(t, http.StatusOK), id); !strings.Contains(c, "Max-Age=43200") {
			t.Errorf("a visit renewed the cookie as %q", c)
		}

		view := anon.Get("/dossiers/"+id).Want(t, http.StatusOK).WantBody(t, "Sur un ordinateur partagé",
			`<form method="post" action="/dossiers/`+id+`/oublier">`, "Oublier ce dossier sur cet appareil")
		if !strings.Contains(view.Body, "pendant 12 heures") {
			t.Error("the case page does not say how long the device keeps access")
		}
		res = anon.Post("/dossiers/"+id+"/oublier", nil).Want(t, http.StatusOK).WantBody(t, "<h1>Dossier oublié sur cet appareil</h1>")
		if c := accessCookieOf(res, id); !strings.Contains(c, "Max-Age=0") {
			t.Errorf("forgetting set %q, want the cookie expired", c)
		}
		anon.Get("/dossiers/"+id).Want(t, http.StatusNotFound)
		english.Post("/dossiers/"+id+"/oublier", nil).Want(t, http.StatusOK).WantBody(t, "<h1>Application forgotten on this device</h1>")
	})
}
