package app_test

import (
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
	"guichet/internal/db"
	"guichet/internal/dbtest"
	"guichet/internal/demo"
	"guichet/internal/tenant"
)

// shellEnv is the app on a fresh database with the demo collectivités.
type shellEnv struct {
	app *app.App
	srv *httptest.Server
}

func newShell(t testing.TB, dbURL string) *shellEnv {
	t.Helper()
	e := newShellNoSeed(t, dbURL)
	if _, err := demo.Seed(context.Background(), e.app.Tenants); err != nil {
		t.Fatal(err)
	}
	return e
}

// newShellNoSeed is the app on a fresh database with no collectivité yet.
func newShellNoSeed(t testing.TB, dbURL string) *shellEnv {
	t.Helper()
	cfg := &app.Config{DatabaseURL: dbURL, BaseDomain: "localhost", SecretKey: strings.Repeat("k", 32),
		DataDir: t.TempDir(), LogLevel: "error", Demo: true}
	if err := cfg.Finish(); err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, io.Discard)
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	srv := httptest.NewServer(a.Web.Handler())
	t.Cleanup(srv.Close)
	return &shellEnv{app: a, srv: srv}
}

// get sends a request for path to host through the test server.
func (e *shellEnv) do(t *testing.T, method, host, path string, header http.Header, body io.Reader) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	for k, v := range header {
		req.Header[k] = v
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

func readBody(t *testing.T, res *http.Response) string {
	t.Helper()
	r := io.Reader(res.Body)
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func eachShell(t *testing.T, fn func(t *testing.T, e *shellEnv)) {
	urls := dbtest.URLs(t)
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			u, ok := urls[dialect]
			if !ok {
				t.Skip("PostgreSQL not configured: set GUICHET_TEST_POSTGRES=postgres://…")
			}
			fn(t, newShell(t, u))
		})
	}
}

func TestShellPages(t *testing.T) {
	eachShell(t, func(t *testing.T, e *shellEnv) {
		rows := []struct {
			name, host, path string
			status           int
			contains         []string
			absent           []string
		}{
			{"town home", "montclair.localhost", "/", 200,
				[]string{`<html lang="fr"`, "Ville de Montclair-sur-Vienne", `href="#contenu"`, "Accessibilité :"}, nil},
			{"village home", "sauvigny.localhost:8080", "/", 200, []string{"Commune de Sauvigny-le-Haut"}, []string{"Montclair"}},
			{"platform directory", "localhost", "/", 200,
				[]string{"http://montclair.localhost", "http://sauvigny.localhost"}, nil},
			{"unknown host", "inconnue.localhost", "/", 404, []string{"404 page not found"},
				[]string{"Montclair", "Sauvigny", "<html"}},
			{"unknown custom host", "evil.example", "/", 404, nil, []string{"Montclair", "<html"}},
			{"page not found in layout", "montclair.localhost", "/nulle-part", 404,
				[]string{"Page introuvable", "Ville de Montclair-sur-Vienne", `lang="fr"`}, nil},
			{"legal notice", "montclair.localhost", "/mentions-legales", 200, []string{"21869900000012"}, nil},
			{"privacy", "montclair.localhost", "/donnees-personnelles", 200, []string{"RGPD"}, nil},
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
				res := e.do(t, "GET", row.host, row.path, nil, nil)
				body := readBody(t, res)
				if res.StatusCode != row.status {
					t.Fatalf("status %d, want %d; body %.300s", res.StatusCode, row.status, body)
				}
				for _, s := range row.contains {
					if !strings.Contains(body, s) {
						t.Errorf("body lacks %q", s)
					}
				}
				for _, s := range row.absent {
					if strings.Contains(body, s) {
						t.Errorf("body reveals %q", s)
					}
				}
			})
		}
	})
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	eachShell(t, func(t *testing.T, e *shellEnv) {
		for _, c := range []struct{ host, path string }{
			{"montclair.localhost", "/"}, {"montclair.localhost", "/nulle-part"}, {"unknown.localhost", "/"},
			{"localhost", "/"}, {"montclair.localhost", "/healthz"},
		} {
			res := e.do(t, "GET", c.host, c.path, nil, nil)
			h := res.Header
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
	eachShell(t, func(t *testing.T, e *shellEnv) {
		hdr := http.Header{"Sec-Fetch-Site": {"cross-site"}, "Content-Type": {"application/x-www-form-urlencoded"}}
		res := e.do(t, "POST", "localhost", "/console/collectivites", hdr, strings.NewReader(url.Values{
			"slug": {"pirate"}, "name": {"Pirate"}, "kind": {"commune"}, "time_zone": {"Europe/Paris"}}.Encode()))
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-site POST: status %d, want 403", res.StatusCode)
		}
		if _, err := e.app.Tenants.BySlug(context.Background(), "pirate"); err == nil {
			t.Fatal("the cross-site POST created a tenant")
		}
	})
}

func TestStaticFilesHashedCompressedCached(t *testing.T) {
	eachShell(t, func(t *testing.T, e *shellEnv) {
		home := readBody(t, e.do(t, "GET", "montclair.localhost", "/", nil, nil))
		m := regexp.MustCompile(`href="(/static/css/guichet\.[0-9a-f]{8}\.css)"`).FindStringSubmatch(home)
		if m == nil {
			t.Fatal("no hashed stylesheet in the home page")
		}
		res := e.do(t, "GET", "montclair.localhost", m[1], http.Header{"Accept-Encoding": {"gzip"}}, nil)
		if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" ||
			!strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Fatalf("static: %d %v", res.StatusCode, res.Header)
		}
		if body := readBody(t, res); !strings.Contains(body, ":root") {
			t.Fatalf("stylesheet body %.100s", body)
		}
		if res := e.do(t, "GET", "montclair.localhost", "/static/css/guichet.00000000.css", nil, nil); res.StatusCode != 404 {
			t.Fatalf("unknown static file: %d", res.StatusCode)
		}
	})
}

func TestLanguageSwitch(t *testing.T) {
	eachShell(t, func(t *testing.T, e *shellEnv) {
		res := e.do(t, "GET", "montclair.localhost", "/langue/en?suite=/mentions-legales", nil, nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/mentions-legales" {
			t.Fatalf("switch: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		cookie := res.Cookies()[0]
		body := readBody(t, e.do(t, "GET", "montclair.localhost", "/mentions-legales",
			http.Header{"Cookie": {cookie.String()}}, nil))
		if !strings.Contains(body, `<html lang="en"`) || !strings.Contains(body, "Legal notice") {
			t.Fatalf("English page not served: %.200s", body)
		}
		res = e.do(t, "GET", "montclair.localhost", "/langue/en?suite=//evil.example/", nil, nil)
		if loc := res.Header.Get("Location"); loc != "/" {
			t.Fatalf("open redirect: Location %q", loc)
		}
	})
}

func TestSuspendedTenantIsUnavailable(t *testing.T) {
	eachShell(t, func(t *testing.T, e *shellEnv) {
		ctx := context.Background()
		town, err := e.app.Tenants.BySlug(ctx, demo.Town)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.app.Tenants.SetStatus(ctx, town.ID, tenant.StatusSuspended); err != nil {
			t.Fatal(err)
		}
		e.app.Resolver.Forget()
		res := e.do(t, "GET", "montclair.localhost", "/", nil, nil)
		if res.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("suspended tenant: %d", res.StatusCode)
		}
		if body := readBody(t, e.do(t, "GET", "localhost", "/", nil, nil)); strings.Contains(body, "Montclair") {
			t.Fatal("the directory still lists a suspended tenant")
		}
	})
}

func TestMetricsOnlyFromLoopback(t *testing.T) {
	eachShell(t, func(t *testing.T, e *shellEnv) {
		e.do(t, "GET", "montclair.localhost", "/", nil, nil)
		body := readBody(t, e.do(t, "GET", "localhost", "/metrics", nil, nil))
		for _, want := range []string{`guichet_http_requests_total{route="GET /{$}",status="200"}`,
			"guichet_http_request_duration_seconds_bucket", "go_sql_open_connections"} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %q", want)
			}
		}
		req := httptest.NewRequest("GET", "http://localhost/metrics", nil)
		req.RemoteAddr = "203.0.113.5:40000"
		rec := httptest.NewRecorder()
		e.app.Web.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "guichet_http") {
			t.Fatalf("metrics from a remote address: %d", rec.Code)
		}
	})
}
