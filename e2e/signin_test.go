package e2e

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

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
		code, err := unusedTOTP(s)
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
	if err != nil || !signedIn || strings.Contains(tb.location(), "/connexion/") {
		t.Fatalf("sign in as %s (%s) failed: now at %s\n    screenshot %s", s.Role, s.Email, tb.location(),
			tb.screenshot("signin-failed-"+s.Role))
	}
}

// totpSteps is the last TOTP step each account used in this process: the
// server refuses a code of a step already used, and two stories may sign
// in the same demo agent within one 30-second step.
var totpSteps = struct {
	sync.Mutex
	last map[string]int64
}{last: map[string]int64{}}

// unusedTOTP returns a code of a step the account has not used: the
// current one, or the next (the server allows one step of drift), waiting
// for the clock when both are taken.
func unusedTOTP(s app.SignIn) (string, error) {
	const period = 30
	key := s.Where + " " + s.Email
	for {
		totpSteps.Lock()
		current := site.app.Now().Unix() / period
		step := max(current, totpSteps.last[key]+1)
		if step <= current+1 {
			totpSteps.last[key] = step
			totpSteps.Unlock()
			return totp.GenerateCode(s.TOTPSecret, time.Unix(step*period, 0))
		}
		totpSteps.Unlock()
		time.Sleep(time.Second)
	}
}
