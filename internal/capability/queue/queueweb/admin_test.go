package queueweb_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/queue/queueweb"
)

var siteLink = regexp.MustCompile(`^/gestion/accueil/sites/([0-9a-f-]{36})$`)

// TestAdministratorSetsUpASite: a new site, its service, counter and
// kiosk; renewing the kiosk stops its old address; errors keep what was
// typed.
func TestAdministratorSetsUpASite(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		admin := e.Browser(e.Town).SignInDemo(t, "admin@montclair.localhost")
		admin.Post(queueweb.AdminPath, url.Values{"name": {""}, "near_turn": {"3"}}).Want(t, http.StatusUnprocessableEntity).
			WantBody(t, `href="#champ-name"`)
		res := admin.Post(queueweb.AdminPath, url.Values{"name": {"Médiathèque Louise-Michel"}, "near_turn": {"2"},
			"address": {"12 rue des Écoles"}}).Want(t, http.StatusSeeOther)
		m := siteLink.FindStringSubmatch(res.Location)
		if m == nil {
			t.Fatalf("created site sent to %q", res.Location)
		}
		base := res.Location
		admin.Post(base+"/services", url.Values{"letter": {"9"}, "service_name": {"Prêt"}, "minutes": {"4"}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, `href="#champ-letter"`, `value="Prêt"`)
		admin.Post(base+"/services", url.Values{"letter": {"p"}, "service_name": {"Prêt et retour"}, "minutes": {"4"},
			"pictogram": {"livre"}}).WantRedirect(t, base)
		admin.Post(base+"/guichets", url.Values{"counter": {"Banque d'accueil"}}).WantRedirect(t, base)
		admin.Post(base+"/bornes", url.Values{"kiosk": {"Borne de l'entrée"}, "idle": {"5"}}).Want(t, http.StatusUnprocessableEntity).
			WantBody(t, "délai d&#39;inactivité")
		admin.Post(base+"/bornes", url.Values{"kiosk": {"Borne de l'entrée"}, "idle": {"45"}}).WantRedirect(t, base)
		page := admin.Get(base).Want(t, http.StatusOK).WantBody(t, "Prêt et retour", "Banque d&#39;accueil", "Borne de l&#39;entrée", "/file-attente/mediatheque-louise-michel", `role="img"`)
		old := kioskLink.FindStringSubmatch(page.Body)[1]
		e.Browser(e.Town).Get(old).Want(t, http.StatusOK).WantBody(t, "Prêt et retour", `data-idle="45"`)
		s, err := queueweb.Of(e.App.Kernel).Store.Site(t.Context(), e.Town.ID, m[1])
		if err != nil {
			t.Fatal(err)
		}
		kiosks, _ := queueweb.Of(e.App.Kernel).Store.Kiosks(t.Context(), e.Town.ID)
		for _, k := range kiosks {
			if k.SiteID == s.ID {
				admin.Post("/gestion/accueil/bornes/"+k.ID+"/renouveler", nil).WantRedirect(t, base)
			}
		}
		e.Browser(e.Town).Get(old).Want(t, http.StatusNotFound)
		renewed := kioskLink.FindStringSubmatch(admin.Get(base).Body)[1]
		if renewed == old {
			t.Fatal("the kiosk's address did not change")
		}
		e.Browser(e.Town).Get(renewed).Want(t, http.StatusOK)
		// The public list shows the new site; an agent cannot reach the settings.
		e.Browser(e.Town).Get(queueweb.SitesPath).WantBody(t, "Médiathèque Louise-Michel")
		agent := e.Browser(e.Town).SignInDemo(t, "urbanisme@montclair.localhost")
		if res := agent.Get(base); res.Status != http.StatusForbidden && res.Status != http.StatusNotFound {
			t.Fatalf("an agent opened the site's settings: %d", res.Status)
		}
	}, apptest.WithDemoData())
}

// TestFiguresDrawTheirChartsWithTables: the demo's four weeks of tickets
// give per-service figures, charts as SVG, and the same figures as tables.
func TestFiguresDrawTheirChartsWithTables(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		agent := e.Browser(e.Town).SignInDemo(t, "etat-civil@montclair.localhost")
		page := agent.Get("/gestion/accueil/statistiques").Want(t, http.StatusOK)
		page.WantBody(t, `<svg class="chart"`, `role="img"`, "Arrivées par heure", "<caption>Arrivées et attente moyenne par heure</caption>",
			"A – État civil", "Heure la plus chargée")
		if n := strings.Count(page.Body, `class="chart-bar"`); n < 10 {
			t.Fatalf("%d bars drawn", n)
		}
		if strings.Contains(page.Body, ">0 tickets") {
			t.Fatal("the demo's history is missing")
		}
	}, apptest.WithDemoData())
}
