package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
)

// A browser is known to the accounts it signed in to, on their
// collectivité only, by a MAC that cannot be forged or moved to another
// address; it remembers the last five; a signed-in owner is known too.
func TestDeviceCookieMarksTheAccountsOwnBrowsers(t *testing.T) {
	t.Parallel()
	s := &Server{}
	s.SetDeviceKey("a-test-secret-key-of-32-characters")
	town, village := &tenant.Tenant{ID: "town"}, &tenant.Tenant{ID: "village"}
	request := func(tn *tenant.Tenant, cookie string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/connexion", nil)
		if cookie != "" {
			r.AddCookie(&http.Cookie{Name: DeviceCookie, Value: cookie})
		}
		return r.WithContext(tenant.NewContext(r.Context(), tn))
	}
	remember := func(cookie, email string) string {
		w := httptest.NewRecorder()
		s.RememberDevice(w, request(town, cookie), email)
		for _, c := range w.Result().Cookies() {
			if c.Name == DeviceCookie {
				return c.Value
			}
		}
		t.Fatal("no device cookie set")
		return ""
	}
	cookie := remember("", "Marc@Exemple.fr")
	if !s.knownDevice(request(town, cookie), "marc@exemple.fr ") {
		t.Fatal("the browser is not known to the account it signed in to")
	}
	for _, c := range []struct {
		why    string
		tn     *tenant.Tenant
		cookie string
		email  string
	}{
		{"another account", town, cookie, "lea@exemple.fr"},
		{"the same address on another collectivité", village, cookie, "marc@exemple.fr"},
		{"a forged mark", town, "AAAAAAAAAAAAAAAAAAAAAA", "marc@exemple.fr"},
		{"no cookie", town, "", "marc@exemple.fr"},
	} {
		if s.knownDevice(request(c.tn, c.cookie), c.email) {
			t.Errorf("%s: known", c.why)
		}
	}
	other := &Server{}
	other.SetDeviceKey("another-secret-key-of-32-characters")
	if other.knownDevice(request(town, cookie), "marc@exemple.fr") {
		t.Error("known under another server key")
	}

	for _, email := range []string{"a@x.fr", "b@x.fr", "c@x.fr", "d@x.fr", "e@x.fr"} {
		cookie = remember(cookie, email)
	}
	if s.knownDevice(request(town, cookie), "marc@exemple.fr") || !s.knownDevice(request(town, cookie), "b@x.fr") {
		t.Error("the browser does not keep exactly the last five accounts")
	}

	owner := request(village, "")
	owner = owner.WithContext(account.NewContext(owner.Context(), &account.Identity{Email: "Marc@exemple.fr"}))
	if !s.knownDevice(owner, "marc@exemple.fr") || s.knownDevice(owner, "lea@exemple.fr") {
		t.Error("a signed-in owner is known only to their own account")
	}
}
