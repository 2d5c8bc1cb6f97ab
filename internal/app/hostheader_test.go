package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
)

// rawHost sends a request whose Host header is host, as a client that
// writes its own headers would.
func rawHost(t *testing.T, e *apptest.Env, method, path, host string, form url.Values) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, e.Server.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := e.Server.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// The Host header's port is copied into feed and mail links only when it
// is a port number; any other Host is refused before a link is written.
func TestHostPortNeverReachesLinks(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		const email = "marc@exemple.fr"
		e.Resident(e.Town, email, "Marc")
		for _, host := range []string{"montclair.localhost:1,evil.example", "montclair.localhost:99999",
			"montclair.localhost:0", "montclair.localhost:+80", "montclair.localhost:8080:1", "montclair.localhost:80@evil.example"} {
			if res := rawHost(t, e, http.MethodGet, "/actualites/flux.atom", host, nil); res.StatusCode != http.StatusNotFound {
				t.Errorf("feed with Host %q: status %d, want 404", host, res.StatusCode)
			}
			res := rawHost(t, e, http.MethodPost, "/mot-de-passe-oublie", host, url.Values{"email": {email}})
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("reset with Host %q: status %d, want 404", host, res.StatusCode)
			}
		}
		b := e.BrowserFor("montclair.localhost:8080")
		b.Get("/actualites/flux.atom").Want(t, http.StatusOK).WantBody(t, `href="http://montclair.localhost:8080/actualites/flux.atom"`)
		b.Post("/mot-de-passe-oublie", url.Values{"email": {email}}).Want(t, http.StatusOK)
		m := e.Mail.WaitFor(t, email, 10*time.Second)
		if link := m.Link("/mot-de-passe/nouveau"); !strings.HasPrefix(link, "http://montclair.localhost:8080/mot-de-passe/nouveau?") {
			t.Fatalf("reset link %q", link)
		}
		if n := len(e.Mail.Messages()); n != 1 {
			t.Fatalf("%d messages sent, want only the one asked with a valid Host", n)
		}
	}, apptest.WithMail())
}
