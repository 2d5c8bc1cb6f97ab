package directoryweb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/directory"
	"guichet/internal/capability/directory/directoryweb"
	"guichet/internal/kernel"
	"guichet/internal/publishing/tableschema"
)

// listed returns the names of the entries a list page shows, in order.
func listed(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<h3><a href="/annuaire/[^"]+">([^<]+)</a></h3>`).FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

func TestTheDirectoryFindsByWordsCategoryAccessAndOpeningHours(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town)
		all := listed(b.Get("/annuaire").Want(t, 200).WantBody(t, "<svg", `class="map-legend"`, "/annuaire/equipements.csv").Body)
		if len(all) < 45 {
			t.Fatalf("the town's directory lists %d entries, want its demo's 47", len(all))
		}
		for _, c := range []struct {
			query     string
			want, not []string
		}{
			{"q=boulang", []string{"Boulangerie Martin"}, []string{"Cinéma Le Rex"}},
			// Without accents or capitals, plural for singular.
			{"q=ECOLES", []string{"École élémentaire Jules-Ferry", "École maternelle des Tilleuls"}, []string{"Piscine intercommunale des Îles"}},
			{"q=rue+des+tilleuls", []string{"Crèche municipale Les Petits Pas"}, []string{"Hôtel de ville"}},
			{"categorie=sante", []string{"Pharmacie du Centre", "EHPAD Les Glycines", "Maison de santé pluriprofessionnelle",
				"Centre médico-social départemental"}, []string{"Boulangerie Martin"}},
			{"fauteuil=1", []string{"Hôtel de ville", "Médiathèque Louise-Michel"}, []string{"Ruines du château de Montclair", "Librairie La Page"}},
			{"q=nulle+part+xyz", nil, []string{"Hôtel de ville"}},
		} {
			got := listed(b.Get("/annuaire?"+c.query).Want(t, 200).Body)
			for _, w := range c.want {
				if !slices.Contains(got, w) {
					t.Errorf("%s: %q not found among %q", c.query, w, got)
				}
			}
			for _, n := range c.not {
				if slices.Contains(got, n) {
					t.Errorf("%s: %q found", c.query, n)
				}
			}
		}
		if got := listed(b.Get("/annuaire?categorie=sante").Body); len(got) != 4 {
			t.Errorf("health lists %q", got)
		}
		// Open now: what the opening hours say at the request's time.
		c := directoryweb.Of(e.App.Kernel)
		entries, err := c.Store.Published(context.Background(), e.Town.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := listed(b.Get("/annuaire?ouvert=1").Want(t, 200).Body)
		now := e.App.Now().In(e.Town.Location())
		var want []string
		for _, en := range entries {
			if en.StatusAt(now, false).Open {
				want = append(want, en.Name)
			}
		}
		if len(want) == 0 || len(want) == len(entries) || !slices.Equal(got, want) {
			t.Errorf("open now lists %q, want %q", got, want)
		}
	}, apptest.WithDemoData())
}

func TestAnEntrysPageSaysWhenItOpensAndDescribesItselfForSearchEngines(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town)
		page := b.Get("/annuaire/mairie").Want(t, 200).WantBody(t, "<h1>Hôtel de ville</h1>", "Horaires des sept prochains jours",
			"Boucle magnétique", "05 49 00 12 34", `href="tel:&#43;33549001234"`, `class="directory-map"`).Body
		if !strings.Contains(page, "Ouvert maintenant") && !strings.Contains(page, "Fermé —") {
			t.Error("the page does not say whether the town hall is open")
		}
		m := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no JSON-LD")
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(m[1]), &doc); err != nil {
			t.Fatal(err, m[1])
		}
		if doc["@type"] != "CityHall" || doc["telephone"] != "05 49 00 12 34" || doc["openingHours"] == nil || doc["geo"] == nil {
			t.Errorf("JSON-LD: %s", m[1])
		}
		hours, _ := doc["openingHours"].([]any)
		if !slices.Contains(hours, any("Tu 08:30-12:00,13:30-17:30")) {
			t.Errorf("opening hours %v lack a Tuesday", hours)
		}
		// A bus stop is always open; an unknown entry is not found.
		b.Get("/annuaire/arret-republique").Want(t, 200).WantBody(t, "Ouvert maintenant", `"@type":"BusStop"`)
		b.Get("/annuaire/pas-une-fiche").Want(t, 404)
		// In English, the week reads in English.
		en := b.Get("/annuaire/mediatheque?lang=en")
		_ = en
	}, apptest.WithDemoData())
}

// TestTheDemosEquipmentsExportPassesTheSCDLSchema validates the town's
// and the village's exports with the équipements schema 0.1.5 and its
// custom checks, as validata would.
func TestTheDemosEquipmentsExportPassesTheSCDLSchema(t *testing.T) {
	t.Parallel()
	schema, err := tableschema.LoadFile("../scdl/equipements-0.1.5.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		for _, tn := range []*struct {
			name string
			min  int
			b    *apptest.Browser
		}{{"town", 45, e.Browser(e.Town)}, {"village", 6, e.Browser(e.Village)}} {
			res := tn.b.Get("/annuaire/equipements.csv").Want(t, 200)
			if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
				t.Errorf("%s: content type %q", tn.name, res.Header.Get("Content-Type"))
			}
			if n := strings.Count(res.Body, "\n") - 1; n < tn.min {
				t.Errorf("%s: %d rows, want %d or more", tn.name, n, tn.min)
			}
			problems, err := schema.Validate(strings.NewReader(res.Body))
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range problems {
				if i == 10 {
					break
				}
				t.Errorf("%s: %v", tn.name, p)
			}
		}
		// Every category is exported under one of the schema's themes.
		var out bytes.Buffer
		c := directoryweb.Of(e.App.Kernel)
		done, err := c.Store.WriteSCDL(context.Background(), &out, e.Town.ID, directory.Publisher{Name: e.Town.Name,
			SIRET: e.Town.SIRET, INSEE: e.Town.INSEE})
		if err != nil || len(done.Skipped) > 0 {
			t.Fatalf("export: %v, skipped %q", err, done.Skipped)
		}
		for _, cat := range kernel.DirectoryCategories {
			if th := directory.KindOf(cat, "").Theme; !strings.Contains(out.String(), th) {
				t.Errorf("category %s's theme %q is not in the export", cat, th)
			}
		}
	}, apptest.WithDemoData())
}
