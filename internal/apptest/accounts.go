package apptest

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pquerna/otp/totp"

	"guichet/internal/app"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
)

// Password is a password that passes the CNIL rules, for test accounts.
const Password = "Tr4in!Bleu#9-Vert"

// Resident creates a verified resident account on t with Password.
func (e *Env) Resident(t *tenant.Tenant, email, name string) *account.User {
	e.T.Helper()
	ctx := context.Background()
	u, err := e.App.Accounts.Register(ctx, t.ID, email, name, Password)
	if err != nil {
		e.T.Fatalf("apptest: register %s: %v", email, err)
	}
	if err := e.App.Accounts.MarkEmailVerified(ctx, t.ID, u.ID); err != nil {
		e.T.Fatal(err)
	}
	return u
}

// SignIn signs the browser in through the sign-in page and fails the test
// unless it is redirected (to the profile, or to the second factor page
// for staff who must pass it).
func (b *Browser) SignIn(t testing.TB, email, password string) *Response {
	t.Helper()
	res := b.Post("/connexion", url.Values{"email": {email}, "password": {password}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("apptest: sign in %s: status %d\n%s", email, res.Status, clip(res.Body))
	}
	return res
}

// SignInDemo signs in a demo account (see app.SeedDemo and WithDemoData)
// with the demo password and, for staff, a code from the demo TOTP secret.
func (b *Browser) SignInDemo(t testing.TB, email string) *Browser {
	t.Helper()
	res := b.SignIn(t, email, app.DemoPassword)
	if !strings.HasPrefix(res.Location, account.SecondFactorPath) {
		return b
	}
	code, err := totp.GenerateCode(app.DemoTOTPSecret, b.env.App.Now())
	if err != nil {
		t.Fatal(err)
	}
	res = b.Post(account.SecondFactorPath, url.Values{"code": {code}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("apptest: second factor of %s: status %d\n%s", email, res.Status, clip(res.Body))
	}
	return b
}

// On returns a new browser for host carrying b's session cookie, as a
// stolen or replayed cookie would arrive at another collectivité.
func (b *Browser) On(host string) *Browser {
	other := b.env.BrowserFor(host)
	if v := b.Cookie(account.CookieName); v != "" {
		other.SetCookie(account.CookieName, v)
	}
	return other
}
