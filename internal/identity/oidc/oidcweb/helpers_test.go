package oidcweb_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/prometheus/client_golang/prometheus"

	"guichet/internal/identity/account"
	"guichet/internal/identity/oidc"
	"guichet/internal/identity/oidc/oidctest"
	"guichet/internal/identity/oidc/oidcweb"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// env is a site server with two collectivités, sessions, this module and
// a test provider enabled as FranceConnect on alpha only.
type env struct {
	d        *db.DB
	users    *account.Store
	svc      *oidc.Service
	mod      *oidcweb.Module
	op       *oidctest.Provider
	srv      *httptest.Server
	port     string
	alpha    *tenant.Tenant
	beta     *tenant.Tenant
	sessions *account.Sessions
}

func each(t *testing.T, fn func(t *testing.T, e *env)) {
	sets := []db.Migrations{tenant.Migrations, account.Migrations, oidc.Migrations}
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ts := tenant.NewStore(d)
		mk := func(slug string) *tenant.Tenant {
			tn, err := ts.Create(ctx, tenant.Tenant{Slug: slug, Name: "Commune de " + slug, Kind: tenant.KindCommune,
				INSEE: "54084", SIRET: "21869900700017", TimeZone: "Europe/Paris"})
			if err != nil {
				t.Fatal(err)
			}
			return tn
		}
		e := &env{d: d, users: account.NewStore(d), op: oidctest.New(), alpha: mk("alpha"), beta: mk("beta")}
		t.Cleanup(e.op.Close)
		e.sessions = account.NewSessions(e.users, false)
		e.svc = oidc.NewService(oidc.NewStore(d, "pW4nR8xT2kQ6vZ0mB3yH7cL1sD5fG9jA"), e.users, nil)
		e.mod = oidcweb.New(e.svc, e.sessions)
		log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
		s := web.NewServer(log, web.NewRenderer(log), tenant.NewResolver(ts, "localhost"),
			web.NewMetrics(prometheus.NewRegistry()), false)
		s.Use(e.sessions.Middleware)
		if err := s.Install(&standIn{sessions: e.sessions, logout: e.mod}, e.mod); err != nil {
			t.Fatal(err)
		}
		e.srv = httptest.NewServer(s.Handler())
		t.Cleanup(e.srv.Close)
		_, e.port, _ = net.SplitHostPort(e.srv.Listener.Addr().String())
		p := oidc.NewProvider(e.alpha.ID, oidc.FranceConnect)
		p.Issuer, p.ClientID, p.ClientSecret, p.Enabled = e.op.Issuer, e.op.ClientID, e.op.ClientSecret, true
		if err := e.svc.SaveProvider(ctx, &p); err != nil {
			t.Fatal(err)
		}
		fn(t, e)
	})
}

// standIn plays the accounts module's part: who am I, and sign-out
// handing over to the module's LogoutURL.
type standIn struct {
	sessions *account.Sessions
	logout   account.LogoutRedirector
}

func (m *standIn) Name() string { return "standin" }

// Assets holds a sign-in page including the module's button partial as
// the accounts module's page is to include it.
func (m *standIn) Assets() fs.FS {
	return fstest.MapFS{"templates/signin.html": {Data: []byte(
		`{{define "content"}}<h1>Connexion</h1>{{template "oidc-buttons" .}}<p>mot de passe…</p>{{end}}`)}}
}

func (m *standIn) Routes(s *web.Server) {
	s.Site("GET /connexion", func(w http.ResponseWriter, r *http.Request) error {
		s.Render.Page(w, r, http.StatusOK, "standin/signin", s.Render.NewPage(r, "Connexion", nil))
		return nil
	})
	s.Site("GET /api/v1/me", func(w http.ResponseWriter, r *http.Request) error {
		id := account.FromContext(r.Context())
		if id == nil {
			web.WriteJSON(w, http.StatusUnauthorized, map[string]string{})
			return nil
		}
		web.WriteJSON(w, http.StatusOK, map[string]string{"name": id.Name, "email": id.Email, "user": id.UserID})
		return nil
	})
	s.Site("POST /deconnexion", func(w http.ResponseWriter, r *http.Request) error {
		ended, err := m.sessions.SignOut(w, r)
		if err != nil {
			return err
		}
		if ended != nil && ended.Provider != "" {
			u, err := m.logout.LogoutURL(r.Context(), r, ended)
			if err != nil {
				return err
			}
			if u != "" {
				http.Redirect(w, r, u, http.StatusSeeOther)
				return nil
			}
		}
		return web.Redirect(w, r, "/")
	})
}

// browser returns a client with a cookie jar that reaches every
// *.localhost host on the test server and other hosts directly. It does
// not follow redirects when stop is true.
func (e *env) browser(t *testing.T, stop bool) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	addr := e.srv.Listener.Addr().String()
	tr := &http.Transport{DialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
		if host, _, _ := net.SplitHostPort(a); strings.HasSuffix(host, ".localhost") {
			a = addr
		}
		return (&net.Dialer{}).DialContext(ctx, network, a)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	c := &http.Client{Jar: jar, Transport: tr}
	if stop {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return c
}

// site returns the absolute URL of path on collectivité tn.
func (e *env) site(tn *tenant.Tenant, path string) string {
	return "http://" + tn.Slug + ".localhost:" + e.port + path
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	res, err := c.Get(u)
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

// me returns who the site thinks the browser is ("" when signed out).
func (e *env) me(t *testing.T, c *http.Client, tn *tenant.Tenant) string {
	t.Helper()
	res, body := get(t, c, e.site(tn, "/api/v1/me"))
	if res.StatusCode == http.StatusUnauthorized {
		return ""
	}
	var v struct{ Name string }
	if err := json.Unmarshal([]byte(body), &v); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("me: %s %s", res.Status, body)
	}
	return v.Name
}

func cookieNamed(c *http.Client, u, name string) *http.Cookie {
	req, _ := http.NewRequest("GET", u, nil)
	for _, ck := range c.Jar.Cookies(req.URL) {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

// buttons returns the FranceConnect links of tn's sign-in page.
func (e *env) buttons(t *testing.T, tn *tenant.Tenant) []string {
	t.Helper()
	res, body := get(t, e.browser(t, true), e.site(tn, "/connexion?suite=/demarches"))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("sign-in page: %s", res.Status)
	}
	var out []string
	for _, m := range buttonHref.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

var buttonHref = regexp.MustCompile(`<a class="button oidc-franceconnect" href="([^"]+)"`)

// admins is a staff source making everyone in admins an administrator.
type admins map[string]bool

func (a admins) StaffOf(_ context.Context, _, userID string) (*account.StaffInfo, error) {
	if a[userID] {
		return &account.StaffInfo{Roles: []account.Role{account.RoleAdmin}}, nil
	}
	return nil, nil
}

// strictAdmins is a staff source whose administrators owe TOTP.
type strictAdmins map[string]bool

func (a strictAdmins) StaffOf(_ context.Context, _, userID string) (*account.StaffInfo, error) {
	if a[userID] {
		return &account.StaffInfo{Roles: []account.Role{account.RoleAdmin}, SecondFactorRequired: true}, nil
	}
	return nil, nil
}
