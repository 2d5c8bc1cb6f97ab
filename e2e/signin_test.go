package e2e

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"guichet/internal/account"
	"guichet/internal/app"
)

// hostOf turns a demo sign-in's Where (a URL, a slug, or the platform)
// into the host label of server.url.
func hostOf(where string) string {
	if strings.Contains(where, "://") {
		if u, err := url.Parse(where); err == nil {
			where = u.Hostname()
		}
	}
	where = strings.TrimSuffix(strings.TrimSuffix(where, "localhost"), ".")
	if where == "platform" || where == "plateforme" {
		return ""
	}
	return where
}

// homeOf is where a role's work starts: the operator console, the back
// office for staff, the account page for residents.
func homeOf(s app.SignIn) string {
	switch {
	case s.Role == string(account.RoleOperator):
		return "/console"
	case slices.Contains(account.StaffRoles, account.Role(s.Role)):
		return "/gestion"
	}
	return "/compte"
}

// signInAs signs in through the real forms: email and password, then the
// TOTP code computed from the demo secret when the account has one.
func signInAs(t *testing.T, tb *tab, s app.SignIn) {
	t.Helper()
	host := hostOf(s.Where)
	if _, err := tb.open(site.url(host, "/connexion")); err != nil {
		t.Fatalf("sign in as %s: %v", s.Role, err)
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
		code, err := totp.GenerateCode(s.TOTPSecret, time.Now())
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
