package accountweb_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/kernel/mailtest"
)

const mailWait = 10 * time.Second

// signUp submits the sign-up form.
func signUp(b *apptest.Browser, name, email, password string) *apptest.Response {
	return b.Post("/inscription", url.Values{"name": {name}, "email": {email}, "password": {password},
		"password_confirm": {password}})
}

// path returns the path and query of an absolute link from an email.
func path(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || link == "" {
		t.Fatalf("bad link %q: %v", link, err)
	}
	return u.RequestURI()
}

// token returns the "jeton" parameter of a link.
func token(t *testing.T, link string) string {
	t.Helper()
	u, _ := url.Parse(link)
	tok := u.Query().Get("jeton")
	if tok == "" {
		t.Fatalf("no token in %q", link)
	}
	return tok
}

// linkIn returns the link of m containing substr, failing if absent.
func linkIn(t *testing.T, m *mailtest.Message, substr string) string {
	t.Helper()
	l := m.Link(substr)
	if l == "" {
		t.Fatalf("no link with %q in mail %q:\n%s", substr, m.Subject, m.Text)
	}
	return l
}

// decode parses a JSON response body.
func decode(t *testing.T, r *apptest.Response, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
}

// without removes every occurrence of each string, to compare two pages
// that differ only by the address typed in.
func without(body string, strs ...string) string {
	for _, s := range strs {
		body = strings.ReplaceAll(body, s, "")
	}
	return body
}
