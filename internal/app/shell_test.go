package app_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"guichet/internal/app"
	"guichet/internal/apptest"
	"guichet/internal/kernel/tenant"
)

func TestShellPages(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		rows := []struct {
			name, host, path string
			status           int
			contains         []string
			absent           []string
		}{
			{"town home", "montclair.localhost", "/", 200,
				[]string{`<html lang="fr"`, "Ville de Montclair-sur-Vienne", `href="#contenu"`, "Accessibilité :"}, nil},
			{"village home", "sauvigny.localhost:8080", "/", 200, []string{"Commune de Sauvigny-le-Haut"}, []string{"Montclair"}},
			{"platform directory", "localhost", "/", 200,
				[]string{"http://montclair.localhost", "http://sauvigny.localhost"}, []string{`role="search"`}},
			// Every page of a collectivité has the site search in its header.
			{"header search on the agenda", "montclair.localhost", "/agenda", 200,
				[]string{`<form class="header-search" role="search" method="get" action="/recherche">`,
					`<label for="recherche-site" class="visually-hidden">Rechercher sur le site</label>`, `id="recherche-site" name="q"`}, nil},
			{"unknown host", "inconnue.localhost", "/", 404, []string{"404 page not found"},
				[]string{"Montclair", "Sauvigny", "<html"}},
			{"unknown custom host", "evil.example", "/", 404, nil, []string{"Montclair", "<html"}},
			{"page not found in layout", "montclair.localhost", "/nulle-part", 404,
				[]string{"Page introuvable", "Ville de Montclair-sur-Vienne", `lang="fr"`}, nil},
			{"legal notice", "montclair.localhost", "/mentions-legales", 200, []string{"21869900700017"}, nil},
			{"privacy", "montclair.localhost", "/donnees-personnelles", 200, []string{"RGPD"}, nil},
			{"legal notice of the platform", "localhost", "/mentions-legales", 200, []string{"Plateforme Guichet"}, nil},
			{"site map", "montclair.localhost", "/plan-du-site", 200, []string{`href="/mentions-legales"`}, nil},
			{"robots", "montclair.localhost", "/robots.txt", 200, []string{"Sitemap: http://montclair.localhost"}, nil},
			{"sitemap", "montclair.localhost", "/sitemap.xml", 200,
				[]string{"<loc>http://montclair.localhost", "sitemaps.org"}, nil},
			{"theme", "montclair.localhost", "/theme.css", 200, []string{"--primary: #1d4f91"}, nil},
			{"console needs sign-in", "localhost", "/console", 303, nil, nil},
			{"healthz any host", "whatever", "/healthz", 200, []string{"ok"}, nil},
			{"readyz", "localhost", "/readyz", 200, []string{"ready"}, nil},
		}
		for _, row := range rows {
			t.Run(row.name, func(t *testing.T) {
				res := e.BrowserFor(row.host).Get(row.path)
				if res.Status != row.status {
					t.Fatalf("status %d, want %d; body %.300s", res.Status, row.status, res.Body)
				}
				for _, s := range row.contains {
					if !strings.Contains(res.Body, s) {
						t.Errorf("body lacks %q", s)
					}
				}
				for _, s := range row.absent {
					if strings.Contains(res.Body, s) {
						t.Errorf("body reveals %q", s)
					}
				}
			})
		}
	})
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		for _, c := range []struct{ host, path string }{
			{"montclair.localhost", "/"}, {"montclair.localhost", "/nulle-part"}, {"unknown.localhost", "/"},
			{"localhost", "/"}, {"montclair.localhost", "/healthz"},
		} {
			h := e.BrowserFor(c.host).Get(c.path).Header
			csp := h.Get("Content-Security-Policy")
			if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") ||
				!strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("%s%s: CSP %q", c.host, c.path, csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Request-Id") == "" {
				t.Errorf("%s%s: headers %v", c.host, c.path, h)
			}
		}
	})
}

func TestCrossSitePostRefused(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		res := e.BrowserFor("localhost").Do("POST", "/console/collectivites", url.Values{
			"slug": {"pirate"}, "name": {"Pirate"}, "kind": {"commune"}, "time_zone": {"Europe/Paris"}},
			http.Header{"Sec-Fetch-Site": {"cross-site"}})
		if res.Status != http.StatusForbidden {
			t.Fatalf("cross-site POST: status %d, want 403", res.Status)
		}
		if _, err := e.App.Tenants.BySlug(context.Background(), "pirate"); err == nil {
			t.Fatal("the cross-site POST created a tenant")
		}
	})
}

func TestStaticFilesHashedCompressedCached(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town)
		m := regexp.MustCompile(`href="(/static/css/guichet\.[0-9a-f]{8}\.css)"`).FindStringSubmatch(b.Get("/").Body)
		if m == nil {
			t.Fatal("no hashed stylesheet in the home page")
		}
		res := b.Do("GET", m[1], nil, http.Header{"Accept-Encoding": {"gzip"}})
		if res.Status != 200 || res.Header.Get("Content-Encoding") != "gzip" ||
			!strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Fatalf("static: %d %v", res.Status, res.Header)
		}
		zr, err := gzip.NewReader(bytes.NewReader([]byte(res.Body)))
		if err != nil {
			t.Fatal(err)
		}
		if css, _ := io.ReadAll(zr); !bytes.Contains(css, []byte(":root")) {
			t.Fatalf("stylesheet body %.100s", css)
		}
		if res := b.Get("/static/css/guichet.00000000.css"); res.Status != 404 {
			t.Fatalf("unknown static file: %d", res.Status)
		}
	})
}

func TestLanguageSwitch(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town)
		res := b.Get("/langue/en?suite=/mentions-legales")
		if res.Status != http.StatusSeeOther || res.Location != "/mentions-legales" {
			t.Fatalf("switch: %d %s", res.Status, res.Location)
		}
		if body := b.Get("/mentions-legales").Body; !strings.Contains(body, `<html lang="en"`) ||
			!strings.Contains(body, "Legal notice") {
			t.Fatalf("English page not served: %.200s", body)
		}
		if loc := b.Get("/langue/en?suite=//evil.example/").Location; loc != "/" {
			t.Fatalf("open redirect: Location %q", loc)
		}
	})
}

func TestSuspendedTenantIsUnavailable(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		if err := e.App.Tenants.SetStatus(context.Background(), e.Town.ID, tenant.StatusSuspended); err != nil {
			t.Fatal(err)
		}
		if res := e.Browser(e.Town).Get("/"); res.Status != http.StatusServiceUnavailable {
			t.Fatalf("suspended tenant: %d", res.Status)
		}
		if body := e.Browser(e.Platform).Get("/").Body; strings.Contains(body, "Montclair") {
			t.Fatal("the directory still lists a suspended tenant")
		}
		if res := e.Browser(e.Village).Get("/"); res.Status != http.StatusOK {
			t.Fatalf("the other collectivité is affected: %d", res.Status)
		}
	})
}

func TestMetricsOnlyFromLoopback(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		e.Browser(e.Town).Get("/")
		body := e.Browser(e.Platform).Get("/metrics").Body
		for _, want := range []string{`guichet_http_requests_total{route="GET /{$}",status="200"}`,
			"guichet_http_request_duration_seconds_bucket", "go_sql_open_connections", "guichet_jobs"} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %q", want)
			}
		}
		req := httptest.NewRequest("GET", "http://localhost/metrics", nil)
		req.RemoteAddr = "203.0.113.5:40000"
		rec := httptest.NewRecorder()
		e.App.Web.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "guichet_http") {
			t.Fatalf("metrics from a remote address: %d", rec.Code)
		}
	})
}

// TestFormErrorsInTitle checks that any form shown again with errors says
// so in its title, whichever module renders it.
func TestFormErrorsInTitle(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town)
		b.Post("/connexion", url.Values{"email": {"personne@courriel.localhost"}, "password": {"faux"}}).
			Want(t, http.StatusUnauthorized).WantBody(t, "<title>Erreur : ")
		if body := b.Get("/connexion").Body; strings.Contains(body, "<title>Erreur") {
			t.Fatal("a form without errors has an error title")
		}
	})
}

// TestMetricsBehindATrustedProxy: behind a reverse proxy on the same
// machine, the metrics go by the visitor's address, not the proxy's, and a
// visitor cannot pretend to be the proxy's own machine.
func TestMetricsBehindATrustedProxy(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		get := func(remote string, forwarded ...string) int {
			req := httptest.NewRequest("GET", "http://localhost/metrics", nil)
			req.RemoteAddr = remote
			for _, f := range forwarded {
				req.Header.Add("X-Forwarded-For", f)
			}
			rec := httptest.NewRecorder()
			e.App.Web.Handler().ServeHTTP(rec, req)
			return rec.Code
		}
		if code := get("127.0.0.1:40000", "203.0.113.5"); code != http.StatusNotFound {
			t.Errorf("a visitor through the proxy got the metrics: %d", code)
		}
		if code := get("127.0.0.1:40000", "127.0.0.1, 203.0.113.5"); code != http.StatusNotFound {
			t.Errorf("a visitor claiming loopback got the metrics: %d", code)
		}
		if code := get("127.0.0.1:40000"); code != http.StatusOK {
			t.Errorf("the machine itself, through no proxy hop: %d", code)
		}
		if code := get("203.0.113.9:40000", "127.0.0.1"); code != http.StatusNotFound {
			t.Errorf("an untrusted sender's header was believed: %d", code)
		}
	}, apptest.WithConfig(func(c *app.Config) { c.TrustedProxies = "127.0.0.1" }))
}

// TestMetricsNeverThroughAProxy: a reverse proxy on the same machine that
// the operator forgot to list still does not open the metrics.
func TestMetricsNeverThroughAProxy(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		for _, h := range []string{"X-Forwarded-For", "Forwarded", "X-Real-Ip"} {
			req := httptest.NewRequest("GET", "http://localhost/metrics", nil)
			req.RemoteAddr = "127.0.0.1:40000"
			req.Header.Set(h, "for=203.0.113.5")
			rec := httptest.NewRecorder()
			e.App.Web.Handler().ServeHTTP(rec, req)
			if rec.Code != http.StatusNotFound {
				t.Errorf("a request forwarded with %s got the metrics: %d", h, rec.Code)
			}
		}
	})
}
