package web

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

// A personal link that says when it shows is left out for the others.
func TestPersonalLinksShownToThoseWithRecords(t *testing.T) {
	manager := func(r *http.Request) bool { return r.URL.Query().Get("who") == "manager" }
	items := []NavItem{{Key: "mes-demarches", Path: "/demarches"}, {Key: "mon-organisation", Path: "/compte/reseau", Shown: manager}}
	keys := func(list []NavItem) []string {
		var out []string
		for _, n := range list {
			out = append(out, n.Key)
		}
		return out
	}
	if got := keys(personalLinks(items, httptest.NewRequest("GET", "/?who=manager", nil))); !slices.Equal(got, []string{"mes-demarches", "mon-organisation"}) {
		t.Errorf("a manager's links: %v", got)
	}
	if got := keys(personalLinks(items, httptest.NewRequest("GET", "/", nil))); !slices.Equal(got, []string{"mes-demarches"}) {
		t.Errorf("a resident's links: %v", got)
	}
}
