package app_test

import (
	"net/http"
	"net/url"
	"testing"

	"guichet/internal/apptest"
)

// TestInputNotUTF8IsNoServerError sends what no browser sends but any
// client can: form fields and addresses holding bytes that are not UTF-8
// or NUL characters. Each is a page or a refusal on both engines, never a
// server error (PostgreSQL refuses such text, SQLite kept it).
func TestInputNotUTF8IsNoServerError(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town)
		res := b.Post("/inscription", url.Values{"name": {"Léa\xff Dubois\x00"}, "email": {"lea.dubois@example.fr"},
			"password": {"Vienne-Rivière-2026!"}, "password_confirm": {"Vienne-Rivière-2026!"}})
		if res.Status >= 500 {
			t.Errorf("sign-up with a name not in UTF-8: %d %.200s", res.Status, res.Body)
		}
		for _, path := range []string{"/agenda/f%FFte", "/actualites/%00", "/recherche?q=%FF%FE"} {
			if res := b.Get(path); res.Status >= 500 {
				t.Errorf("GET %s: %d", path, res.Status)
			}
		}
		if res := b.Get("/agenda/f%FFte"); res.Status != http.StatusNotFound {
			t.Errorf("GET /agenda/f%%FFte: %d, want 404", res.Status)
		}
	})
}
