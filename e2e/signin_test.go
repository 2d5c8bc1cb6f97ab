package e2e

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/pquerna/otp/totp"

	"guichet/internal/app"
)

// hostOf turns a demo sign-in's Where (a host such as
// "montclair.localhost", a URL, or the collectivité's name) into the host
// label of server.url: the slug, or "" for the platform.
func hostOf(s app.SignIn) string {
	if h, ok := site.hosts[s.Where]; ok {
		return h
	}
	w := s.Where
	if u, err := url.Parse(w); err == nil && u.Host != "" {
		w = u.Host
	}
	if h, _, err := net.SplitHostPort(w); err == nil {
		w = h
	}
	return strings.TrimSuffix(strings.TrimSuffix(w, "localhost"), ".")
}

// homeOf is where a role's work starts: the operator console on the
// platform, the back office for staff (who have a second factor), the
// account page for residents.
func homeOf(s app.SignIn) string {
	switch {
	case hostOf(s) == "":
		return "/console"
	case s.TOTPSecret != "":
		return "/gestion"
	}
	return "/compte"
}

// signInAs signs in through the real forms: email and password, then the
// TOTP code computed from the demo secret when the account has one.
func signInAs(t *testing.T, tb *tab, s app.SignIn) {
	t.Helper()
	host := hostOf(s)
	status, err := tb.open(site.url(host, "/connexion"))
	if err != nil {
		t.Fatalf("sign in as %s: %v", s.Role, err)
	}
	if ok, _ := eval[bool](tb, `!!document.querySelector('form input[type=password]')`); !ok {
		t.Fatalf("sign in as %s at %s: no sign-in form (status %d)", s.Role, site.url(host, "/connexion"), status)
	}
	js := fmt.Sprintf(`(() => {
		const f = [...document.forms].find(f => f.querySelector('input[type=password]'));
		f.querySelector('input[type=email], input[name=email], input[autocomplete=username]').value = %s;
		f.querySelector('input[type=password]').value = %s;
		f.requestSubmit();
	})()`, strconv.Quote(s.Email), strconv.Quote(s.Password))
	if _, err := tb.navigateBy(js); err != nil {
		t.Fatalf("sign in as %s: password step: %v\n    screenshot %s", s.Role, err, tb.screenshot("signin-"+s.Role))
	}
	if s.TOTPSecret != "" {
		code, err := totp.GenerateCode(s.TOTPSecret, site.app.Now())
		if err != nil {
			t.Fatalf("TOTP for %s: %v", s.Role, err)
		}
		js := fmt.Sprintf(`(() => {
			const i = document.querySelector('input[name=code], input[autocomplete=one-time-code]');
			i.value = %s;
			i.form.requestSubmit();
		})()`, strconv.Quote(code))
		if _, err := tb.navigateBy(js); err != nil {
			t.Fatalf("sign in as %s: TOTP step: %v\n    screenshot %s", s.Role, err, tb.screenshot("totp-"+s.Role))
		}
	}
	signedIn, err := eval[bool](tb, `!!document.querySelector('form[action="/deconnexion"]')`)
	if err != nil || !signedIn {
		t.Fatalf("sign in as %s (%s) failed: now at %s\n    screenshot %s", s.Role, s.Email, tb.location(),
			tb.screenshot("signin-failed-"+s.Role))
	}
}
