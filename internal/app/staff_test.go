package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"guichet/internal/app"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/mailtest"
	"guichet/internal/kernel/tenant"
)

// The demo has staff of every role with the printed TOTP secret, and an
// administrator's invitation reaches the in-process SMTP server with a
// working single-use link.
func TestDemoStaffAndInvitationByMail(t *testing.T) {
	t.Parallel()
	eachURL(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		srv := mailtest.Start(t)
		a := newMailApp(t, dbURL, srv.URL, false)
		signIns, err := a.SeedDemo(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.StartWorkers(ctx); err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, s := range signIns {
			count[s.Role]++
			if s.Role != "resident" && s.TOTPSecret != app.DemoTOTPSecret {
				t.Errorf("%s has no TOTP secret", s.Email)
			}
			if err := account.ValidatePassword(s.Password, s.Email); err != nil {
				t.Errorf("demo password of %s: %v", s.Email, err)
			}
		}
		for role, n := range map[string]int{"admin": 2, "agent": 4, "editor": 2, "secretary": 1, "moderator": 1,
			"operator": 1, "resident": 4} {
			if count[role] != n {
				t.Errorf("%d demo sign-ins with role %s, want %d", count[role], role, n)
			}
		}

		town, _ := a.Tenants.BySlug(ctx, "montclair")
		elue, _ := a.Accounts.ByEmail(ctx, town.ID, "elue@montclair.localhost")
		if info, _ := a.Staff.StaffOf(ctx, town.ID, elue.ID); info == nil || info.Title != "Adjointe à la communication" {
			t.Fatalf("elected official = %+v", info)
		}

		ts := httptest.NewServer(a.Web.Handler())
		t.Cleanup(ts.Close)
		admin, err := a.Accounts.Authenticate(ctx, town.ID, "admin@montclair.localhost", app.DemoPassword)
		if err != nil {
			t.Fatal(err)
		}
		cookie := staffSignIn(t, a, town, admin)
		code, _ := totp.GenerateCode(app.DemoTOTPSecret, a.Now())
		res := staffPost(t, ts.URL, "montclair.localhost", account.SecondFactorPath, &cookie, url.Values{"code": {code}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/gestion" {
			t.Fatalf("second factor: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		res = staffPost(t, ts.URL, "montclair.localhost", "/gestion/equipe/inviter", &cookie, url.Values{
			"email": {"nouvelle.recrue@montclair.localhost"}, "name": {"Nouvelle Recrue"}, "roles": {"moderator"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("invite: %d", res.StatusCode)
		}
		m := srv.WaitFor(t, "nouvelle.recrue@montclair.localhost", 10*time.Second)
		link := m.Link("/invitation/")
		if !strings.Contains(m.Subject, "Montclair") || link == "" {
			t.Fatalf("invitation mail %q, link %q", m.Subject, link)
		}
		u, _ := url.Parse(link)
		var none string
		if res := staffGet(t, ts.URL, "montclair.localhost", u.Path, &none); res.StatusCode != http.StatusOK {
			t.Fatalf("invitation link answers %d", res.StatusCode)
		}
	})
}

// staffSignIn opens a password-only session for u, as the sign-in page does.
func staffSignIn(t *testing.T, a *app.App, tn *tenant.Tenant, u *account.User) string {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/connexion", nil)
	r = r.WithContext(tenant.NewContext(r.Context(), tn))
	w := httptest.NewRecorder()
	if err := a.Sessions.SignIn(w, r, u, account.SignInOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == account.CookieName {
			return c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

func staffPost(t *testing.T, base, host, path string, cookie *string, form url.Values) *http.Response {
	return staffSend(t, http.MethodPost, base, host, path, cookie, strings.NewReader(form.Encode()))
}

func staffGet(t *testing.T, base, host, path string, cookie *string) *http.Response {
	return staffSend(t, http.MethodGet, base, host, path, cookie, nil)
}

// staffSend makes one request without following redirects, keeping the session
// cookie up to date.
func staffSend(t *testing.T, method, base, host, path string, cookie *string, body io.Reader) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, body)
	req.Host = host
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if *cookie != "" {
		req.AddCookie(&http.Cookie{Name: account.CookieName, Value: *cookie})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	for _, c := range res.Cookies() {
		if c.Name == account.CookieName {
			*cookie = c.Value
		}
	}
	return res
}
