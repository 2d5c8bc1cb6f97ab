package e2e

import (
	"testing"
)

// TestNetworkInBrowser walks the network of organisations as the
// vie-locale agent (the drawing and its words, the ties, an
// organisation's sheet with a contact form sent empty, the campaigns, a
// preview and a past campaign, in French and English) and as the Amicale
// des Tilleuls' president (her organisation's ties and contacts, a
// proposal refused on its field): every page has no axe violation, fits
// 320 px and passes the Nu HTML Checker; every organisation's sheet fits
// 320 px.
func TestNetworkInBrowser(t *testing.T) {
	needBrowser(t)
	s := newStory(t, "montclair")
	check, open := s.check, s.open

	agent := newTab(t, true)
	signInAs(t, agent, demoSignIn(t, "vie-locale@montclair.localhost"))
	open(agent, "/gestion/reseau", "réseau")
	wantText(t, agent, "Les organisations qui font le lien", "Amicale des Tilleuls", "Tableau du réseau")
	open(agent, "/gestion/reseau/liens", "liens du réseau")
	wantText(t, agent, "Propositions à confirmer", "Jardins partagés de la Gare")
	fill(t, agent, nil, `form[action="/gestion/reseau/liens"] button[type=submit]`)
	check(agent, "lien vide")
	click(t, agent, `table a[href^="/gestion/reseau/organisations/"]`)
	check(agent, "fiche d'organisation")
	fill(t, agent, nil, `form[action$="/contacts"] button[type=submit]`)
	wantText(t, agent, "Indiquez le nom de la personne.")
	check(agent, "contact vide")
	// The crawl visits a few sheets; their facts (names, addresses) vary, so
	// every sheet is laid out at 320 px here.
	open(agent, "/gestion/reseau", "réseau, pour les fiches")
	sheets, err := eval[[]string](agent, `[...new Set([...document.querySelectorAll('main a[href*="/gestion/reseau/organisations/"]')].map(a => new URL(a.getAttribute('href'), location.href).href))]`)
	if err != nil || len(sheets) < 10 {
		t.Fatalf("organisation sheets linked from the overview: %d, %v", len(sheets), err)
	}
	for _, u := range sheets {
		if _, err := agent.open(u); err != nil {
			t.Fatal(err)
		}
		w, err := agent.widthAt(reflowWidth)
		if err != nil {
			t.Fatal(err)
		}
		if w > reflowWidth {
			t.Errorf("%s: %d px wide at %d px\n    screenshot %s", u, w, reflowWidth, agent.screenshot(u))
		}
	}
	open(agent, "/gestion/reseau/campagnes", "campagnes")
	fill(t, agent, map[string]string{"cluster": "A", "subject": "Forum des associations", "body": "Le forum aura lieu en septembre."},
		`form[action="/gestion/reseau/campagnes/apercu"] button[type=submit]`)
	wantText(t, agent, "Aperçu de la campagne", "Forum des associations")
	check(agent, "aperçu de campagne")
	open(agent, "/gestion/reseau/campagnes", "campagnes après l'aperçu")
	click(t, agent, `table a[href^="/gestion/reseau/campagnes/"]`)
	wantText(t, agent, "Plan grand froid")
	check(agent, "campagne envoyée")
	open(agent, "/langue/en?suite=/gestion/reseau", "network in English")
	wantText(t, agent, "The organisations that bridge")

	president := newTab(t, true)
	signInAs(t, president, demoSignIn(t, "association@courriel.localhost"))
	open(president, "/compte/reseau", "mon organisation")
	click(t, president, `main a[href^="/compte/reseau/"]`)
	wantText(t, president, "En attente de confirmation", "Proposer un lien")
	check(president, "réseau de mon organisation")
	fill(t, president, map[string]string{"since": "l'an dernier"}, `form[action$="/liens"] button[type=submit]`)
	wantText(t, president, "Indiquez l'année en chiffres")
	check(president, "proposition refusée sur son champ")

	s.finish()
}
