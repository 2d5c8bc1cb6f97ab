package attractivenessweb_test

import (
	"encoding/json"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/attractiveness/attractivenessweb"
)

// jsonLD returns the page's schema.org block, decoded.
func jsonLD(t *testing.T, body string) map[string]any {
	t.Helper()
	m := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no schema.org block")
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(m[1]), &v); err != nil {
		t.Fatalf("schema.org block: %v\n%s", err, m[1])
	}
	return v
}

// types counts the @type of the items a CollectionPage lists.
func types(v map[string]any) map[string]int {
	n := map[string]int{}
	if v["@type"] != "CollectionPage" {
		return n
	}
	main, _ := v["mainEntity"].(map[string]any)
	list, _ := main["itemListElement"].([]any)
	for _, li := range list {
		if m, ok := li.(map[string]any); ok {
			if it, ok := m["item"].(map[string]any); ok {
				n[it["@type"].(string)]++
			}
		}
	}
	return n
}

func TestPagesForEntrepreneursAndVisitors(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town)
		home := b.Get("/").Want(t, 200)
		for _, link := range []string{`href="/entreprendre"`, `href="/visiter"`} {
			if !strings.Contains(home.Body, link) {
				t.Errorf("the home page has no link %s", link)
			}
		}
		page := b.Get("/entreprendre").Want(t, 200)
		page.WantBody(t, html.EscapeString(attractivenessweb.DemoPremise), "950\u00a0€ HT par mois", "Boulangerie Martin",
			html.EscapeString("Prêt d'honneur Initiative Vienne"), "Claire Dubreuil")
		if strings.Contains(page.Body, "Local de 60 m²") {
			t.Error("the withdrawn premise is listed")
		}
		got := types(jsonLD(t, page.Body))
		if got["RealEstateListing"] != 4 || got["LocalBusiness"] < 5 || got["GovernmentOffice"] != 1 {
			t.Errorf("/entreprendre describes %v", got)
		}

		c := attractivenessweb.Of(e.App.Kernel)
		list, err := c.Store.PublishedPremises(t.Context(), e.Town.ID)
		if err != nil || len(list) == 0 {
			t.Fatal(err)
		}
		var shop string
		for _, p := range list {
			if p.Title == attractivenessweb.DemoPremise {
				shop = p.Path()
			}
		}
		one := b.Get(shop).Want(t, 200)
		ld := jsonLD(t, one.Body)
		offer, _ := ld["offers"].(map[string]any)
		if ld["@type"] != "RealEstateListing" || offer["price"] != "950.00" || offer["priceCurrency"] != "EUR" {
			t.Errorf("the premise's page describes %v", ld)
		}
		b.Get("/entreprendre/locaux/local-de-60-m-3-place-de-la-republique").Want(t, 404)

		visit := b.Get("/visiter").Want(t, 200)
		visit.WantBody(t, "Pont roman sur la Vienne", "Camping des Bords de Vienne")
		got = types(jsonLD(t, visit.Body))
		if got["TouristAttraction"] < 4 || got["LodgingBusiness"] < 3 {
			t.Errorf("/visiter describes %v", got)
		}
		// The village has its plot and none of the town's.
		village := e.Browser(e.Village).Get("/entreprendre").Want(t, 200)
		if !strings.Contains(village.Body, "chemin des Granges") || strings.Contains(village.Body, "rue des Halles") {
			t.Error("the village's page is wrong")
		}
	}, apptest.WithDemoData())
}

func TestBackOffice(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		other := e.Browser(e.Town).SignInDemo(t, "etat-civil@montclair.localhost")
		if got := other.Get("/gestion/attractivite"); got.Status != 403 {
			t.Errorf("an agent of another service: %d", got.Status)
		}
		agent := e.Browser(e.Town).SignInDemo(t, "vie-locale@montclair.localhost")
		agent.Get("/gestion/attractivite").Want(t, 200).WantBody(t, html.EscapeString(attractivenessweb.DemoPremise))
		form := url.Values{"title": {"Boutique de 40 m², rue du Pont"}, "kind": {"commerce"}, "address": {"5 rue du Pont"},
			"surface": {"40 m²"}, "deal": {"location"}, "price": {"1 200,50"}, "unit": {"mois"}, "tax": {"HT"},
			"contact_phone": {"05 49 00 00 01"}, "published": {"1"}}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("unit", "m2")
		agent.Post("/gestion/attractivite/locaux/nouveau", bad).Want(t, 422).WantBody(t, "Un loyer se compte par mois")
		agent.Post("/gestion/attractivite/locaux/nouveau", form).WantRedirect(t, "/gestion/attractivite")
		e.Browser(e.Town).Get("/entreprendre").WantBody(t, "Boutique de 40 m², rue du Pont", "1\u202f200,50\u00a0€ HT par mois")

		agent.Post("/gestion/attractivite/aides/nouvelle", url.Values{"name": {"Chèque numérique"}, "funder": {"region"},
			"eligible": {"Commerces"}, "amount": {"500 €"}, "link": {"https://www.nouvelle-aquitaine.fr/"}}).WantRedirect(t, "/gestion/attractivite")
		agent.Post("/gestion/attractivite/contacts", url.Values{"service": {"Mission commerce"}, "email": {"commerce@montclair.localhost"}}).
			WantRedirect(t, "/gestion/attractivite")
		e.Browser(e.Town).Get("/entreprendre").WantBody(t, "Chèque numérique", "Mission commerce")
	}, apptest.WithDemoData())
}
