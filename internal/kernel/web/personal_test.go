package web

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

// A personal link that says whom it is for is left out for the others.
func TestPersonalLinksShownToThoseWithRecords(t *testing.T) {
	manager := func(r *http.Request) bool { return r.URL.Query().Get("who") == "manager" }
	items := []NavItem{{Key: "mes-demarches", Path: "/demarches"}, {Key: "mon-organisation", Path: "/compte/reseau", Show: manager},
		{Key: "mes-rendez-vous", Path: "/rendez-vous"}}
	keys := func(list []NavItem) []string {
		var out []string
		for _, n := range list {
			out = append(out, n.Key)
		}
		return out
	}
	if got := keys(personalFor(httptest.NewRequest("GET", "/?who=manager", nil), items)); !slices.Equal(got,
		[]string{"mes-demarches", "mon-organisation", "mes-rendez-vous"}) {
		t.Errorf("a manager's links: %v", got)
	}
	if got := keys(personalFor(httptest.NewRequest("GET", "/", nil), items)); !slices.Equal(got, []string{"mes-demarches", "mes-rendez-vous"}) {
		t.Errorf("a resident's links: %v", got)
	}
}
