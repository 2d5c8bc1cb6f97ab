package app_test

import (
	"net/http"
	"strings"
	"testing"

	"guichet/internal/apptest"
)

// TestLanguageCookieInAnyCase serves a page to a browser whose language
// cookie says "EN" or "Fr" (written by hand, or by another site of the
// domain): the page comes in that language, not as an error.
func TestLanguageCookieInAnyCase(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		for value, lang := range map[string]string{"EN": "en", "Fr": "fr", "de": "fr"} {
			b := e.Browser(e.Town)
			b.SetCookie("lang", value)
			res := b.Get("/mentions-legales")
			if res.Status != http.StatusOK || !strings.Contains(res.Body, `<html lang="`+lang+`"`) {
				t.Errorf("cookie lang=%s: %d %.200s", value, res.Status, res.Body)
			}
		}
	})
}
