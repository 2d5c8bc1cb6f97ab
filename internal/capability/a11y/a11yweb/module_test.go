package a11yweb_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"guichet/internal/capability/a11y"
	"guichet/internal/capability/a11y/a11yweb"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// fakeProfiles records the preferences saved for a signed-in person.
type fakeProfiles struct {
	mu    sync.Mutex
	saved map[string]account.Preferences
}

func (f *fakeProfiles) UpdateProfile(_ context.Context, tenantID, userID, _, _ string, p account.Preferences) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.saved[tenantID+"/"+userID] = p
	return nil
}

type env struct {
	srv      *httptest.Server
	audits   *a11y.Store
	profiles *fakeProfiles
	town     *tenant.Tenant
}

// asHeader lets a test act as someone: "admin" or "resident".
const asHeader = "X-Test-As"

func newEnv(t *testing.T, d *db.DB) *env {
	ctx := context.Background()
	tenants := tenant.NewStore(d)
	town, err := tenants.Create(ctx, tenant.Tenant{Slug: "ville", Name: "Ville d'Essai"})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := web.NewServer(log, web.NewRenderer(log), tenant.NewResolver(tenants, "localhost"),
		web.NewMetrics(prometheus.NewRegistry()), false)
	s.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := &account.Identity{UserID: "u1", TenantID: town.ID, Email: "x@ville.test", Name: "X", Lang: "fr"}
			switch r.Header.Get(asHeader) {
			case "admin":
				id.Roles, id.SecondFactor = []account.Role{account.RoleAdmin}, true
			case "resident":
			default:
				id = nil
			}
			if id != nil {
				r = r.WithContext(account.NewContext(r.Context(), id))
			}
			next.ServeHTTP(w, r)
		})
	})
	audits := a11y.NewStore(d)
	audits.Now = dbtest.Clock(t)
	e := &env{audits: audits, profiles: &fakeProfiles{saved: map[string]account.Preferences{}}, town: town}
	if err := s.Install(a11yweb.New(e.audits, e.profiles)); err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(s.Handler())
	t.Cleanup(e.srv.Close)
	return e
}

// do sends a request to the town's site and returns status, body and response.
func (e *env) do(t *testing.T, method, path, as string, form url.Values, cookies ...*http.Cookie) (int, string, *http.Response) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, e.srv.URL+path, body)
	req.Host = "ville.localhost"
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if as != "" {
		req.Header.Set(asHeader, as)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp
}

func each(t *testing.T, fn func(t *testing.T, e *env)) {
	dbtest.Each(t, []db.Migrations{tenant.Migrations, a11y.Migrations}, func(t *testing.T, d *db.DB) {
		fn(t, newEnv(t, d))
	})
}

func TestPreferencesCookieAndProfile(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		status, _, resp := e.do(t, "POST", "/preferences", "",
			url.Values{"size": {"larger"}, "spacing": {"wide"}, "contrast": {"1"}})
		if status != http.StatusSeeOther {
			t.Fatalf("save preferences: %d", status)
		}
		var cookie *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "affichage" {
				cookie = c
			}
		}
		if cookie == nil || cookie.Value != "larger-wide-contrast" || !cookie.HttpOnly {
			t.Fatalf("cookie = %+v", cookie)
		}
		_, body, _ := e.do(t, "GET", "/composants", "", nil, cookie)
		if !strings.Contains(body, `<html lang="fr" class="text-larger spacing-wide contrast-high">`) {
			t.Errorf("classes not applied:\n%.300s", body)
		}
		if _, body, _ := e.do(t, "GET", "/composants", "", nil); strings.Contains(body, `class="text-`) {
			t.Error("classes without the cookie")
		}
		if len(e.profiles.saved) != 0 {
			t.Error("signed-out preferences reached a profile")
		}
		e.do(t, "POST", "/preferences", "resident", url.Values{"size": {"large"}})
		if got := e.profiles.saved[e.town.ID+"/u1"]; got != (account.Preferences{TextSize: "large"}) {
			t.Errorf("profile got %+v", got)
		}
		_, _, resp = e.do(t, "POST", "/preferences", "", url.Values{"size": {""}})
		for _, c := range resp.Cookies() {
			if c.Name == "affichage" && c.MaxAge >= 0 {
				t.Errorf("default preferences keep the cookie: %+v", c)
			}
		}
	})
}

// sampleForm is a complete audit: 40 conformant, 13 not, the rest N/A.
func sampleForm() url.Values {
	f := url.Values{"audited_on": {"2026-03-02"}, "auditor": {"Cabinet d'audit"}, "derogations": {"Cartes anciennes."}}
	for i, c := range a11y.Criteria() {
		v := "NA"
		switch {
		case i < 40:
			v = "C"
		case i < 53:
			v = "NC"
		}
		f.Set(a11y.FieldName(c.ID), v)
	}
	return f
}

func TestAuditFormStatementAndFooter(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		_, body, _ := e.do(t, "GET", "/accessibilite", "", nil)
		for _, want := range []string{"Accessibilité : non conforme", "pas encore été audité", "Défenseur des droits"} {
			if !strings.Contains(body, want) {
				t.Errorf("statement without audit lacks %q", want)
			}
		}
		if status, _, _ := e.do(t, "GET", "/gestion/accessibilite", "resident", nil); status != http.StatusForbidden {
			t.Errorf("resident reaches the audit form: %d", status)
		}
		status, body, _ := e.do(t, "GET", "/gestion/accessibilite", "admin", nil)
		if status != http.StatusOK || strings.Count(body, `class="criterion"`) != a11y.CriteriaCount ||
			strings.Count(body, `<h2 id="theme-`) != 13 {
			t.Fatalf("audit form: %d, %d criteria", status, strings.Count(body, `class="criterion"`))
		}
		status, body, _ = e.do(t, "POST", "/gestion/accessibilite", "admin", url.Values{"auditor": {"A"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#champ-c-11-1"`) ||
			!strings.Contains(body, `id="champ-c-11-1"`) || !strings.Contains(body, `href="#champ-audited_on"`) {
			t.Errorf("empty audit: %d, error summary not linked to the fields", status)
		}
		if status, _, _ := e.do(t, "POST", "/gestion/accessibilite", "admin", sampleForm()); status != http.StatusSeeOther {
			t.Fatalf("save audit: %d", status)
		}
		_, body, _ = e.do(t, "GET", "/accessibilite", "", nil)
		for _, want := range []string{"Accessibilité : partiellement conforme", "75,47 %", "Cabinet d&#39;audit",
			"Cartes anciennes.", "2 mars 2026", "Liste des 13 critères non conformes"} {
			if !strings.Contains(body, want) {
				t.Errorf("statement lacks %q", want)
			}
		}
		_, body, _ = e.do(t, "GET", "/gestion/accessibilite", "admin", nil)
		if !strings.Contains(body, `value="2026-03-02"`) || strings.Count(body, "checked") != a11y.CriteriaCount {
			t.Errorf("audit form not refilled from the saved audit (%d checked)", strings.Count(body, "checked"))
		}
		full := sampleForm()
		for _, c := range a11y.Criteria() {
			if full.Get(a11y.FieldName(c.ID)) == "NC" {
				full.Set(a11y.FieldName(c.ID), "C")
			}
		}
		full.Set("audited_on", e.audits.Now().Format("2006-01-02"))
		e.do(t, "POST", "/gestion/accessibilite", "admin", full)
		if _, body, _ := e.do(t, "GET", "/composants", "", nil); !strings.Contains(body, "Accessibilité : totalement conforme") {
			t.Error("footer does not follow the new audit")
		}
	})
}
