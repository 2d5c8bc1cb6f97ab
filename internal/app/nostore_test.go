package app_test

import (
	"net/url"
	"regexp"
	"testing"

	"guichet/internal/apptest"
)

// Private and token pages carry "Cache-Control: no-store", so that a
// public kiosk's browser keeps nothing of them; public pages seen by a
// signed-out visitor keep their caching.
func TestPrivatePagesAreNotStored(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		anon := e.Browser(e.Town)
		resident := e.Browser(e.Town).SignInDemo(t, "habitant@courriel.localhost")
		agent := e.Browser(e.Town).SignInDemo(t, "etat-civil@montclair.localhost")
		operator := e.Browser(e.Platform).SignInDemo(t, "operateur@guichet.localhost")
		start := resident.Post("/demarches/acte-de-naissance/commencer", url.Values{})
		caseID := regexp.MustCompile(`/dossiers/([0-9a-f-]{36})`).FindStringSubmatch(start.Location)
		if caseID == nil {
			t.Fatalf("no case started: %d %q", start.Status, start.Location)
		}
		rows := []struct {
			who     string
			b       *apptest.Browser
			method  string
			path    string
			noStore bool
		}{
			{"anonymous", anon, "GET", "/", false},
			{"anonymous", anon, "GET", "/actualites", false},
			{"anonymous", anon, "GET", "/actualites/flux.atom", false},
			{"anonymous", anon, "GET", "/agenda/flux.ics", false},
			{"anonymous", anon, "GET", "/rendez-vous", false},
			{"anonymous", anon, "GET", "/rendez-vous/gerer/jeton-de-gestion", true},
			{"anonymous", anon, "GET", "/rendez-vous/gerer/jeton-de-gestion/calendrier.ics", true},
			{"anonymous", anon, "GET", "/api/v1/rendez-vous/reservations/jeton-de-gestion", true},
			{"anonymous", anon, "GET", "/dossiers/" + caseID[1] + "/acces/jeton-d-acces", true},
			{"anonymous", anon, "GET", "/mot-de-passe/nouveau?jeton=jeton", true},
			{"anonymous", anon, "GET", "/compte/verification?jeton=jeton", true},
			{"anonymous", anon, "GET", "/invitation/jeton", true},
			{"anonymous", anon, "GET", "/inscriptions/jeton", true},
			{"anonymous", anon, "GET", "/alertes/confirmer/jeton", true},
			{"anonymous", anon, "GET", "/alertes/desabonnement/jeton", true},
			{"anonymous", anon, "GET", "/questions/verifier/jeton", true},
			{"anonymous", anon, "POST", "/connexion", true},
			{"resident", resident, "GET", "/", true},
			{"resident", resident, "GET", "/actualites/flux.atom", true},
			{"resident", resident, "GET", "/compte", true},
			{"resident", resident, "GET", "/compte/donnees", true},
			{"resident", resident, "GET", "/api/v1/me/data", true},
			{"resident", resident, "GET", "/mes-demarches", true},
			{"resident", resident, "GET", "/dossiers/" + caseID[1] + "/etape/1", true},
			{"resident", resident, "GET", "/rendez-vous/mes-rendez-vous", true},
			{"agent", agent, "GET", "/gestion", true},
			{"agent", agent, "GET", "/gestion/dossiers", true},
			{"agent", agent, "GET", "/gestion/dossiers/export", true},
			{"agent", agent, "GET", "/api/v1/gestion/dossiers", true},
			{"operator", operator, "GET", "/console", true},
			{"operator", operator, "GET", "/console/courriels", true},
		}
		for _, row := range rows {
			res := row.b.Do(row.method, row.path, nil, nil)
			got := res.Header.Get("Cache-Control")
			if row.noStore != (got == "no-store") {
				t.Errorf("%s %s %s: status %d, Cache-Control %q, want no-store: %v", row.who, row.method, row.path,
					res.Status, got, row.noStore)
			}
		}
	}, apptest.WithDemoData())
}
