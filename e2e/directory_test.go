package e2e

import (
	"testing"

	"guichet/internal/app"
)

// TestDirectoryInBrowser walks the directory's pages as a visitor (the
// list, its filters and map, entries, in French and English), as the
// Amicale des Tilleuls' president proposing a change (refused on its
// field first), and as the vie-locale agent moderating it: every page has
// no axe violation, fits 320 px and passes the Nu HTML Checker.
func TestDirectoryInBrowser(t *testing.T) {
	needBrowser(t)
	s := newStory(t, "montclair")
	check, open := s.check, s.open

	visitor := newTab(t, true)
	open(visitor, "/annuaire", "annuaire")
	wantText(t, visitor, "45 lieux trouvés", "Boulangerie Martin")
	open(visitor, "/annuaire?q=ecole&categorie=enseignement&fauteuil=1", "annuaire filtré")
	wantText(t, visitor, "École élémentaire Jules-Ferry")
	open(visitor, "/annuaire?q=introuvable", "annuaire sans résultat")
	open(visitor, "/annuaire/mairie", "fiche mairie")
	wantText(t, visitor, "Horaires des sept prochains jours")
	open(visitor, "/annuaire/amicale-des-tilleuls", "fiche association")
	open(visitor, "/annuaire/gare", "fiche gare")
	open(visitor, "/langue/en?suite=/annuaire/mediatheque", "fiche en anglais")
	wantText(t, visitor, "Opening hours of the next seven days")
	open(visitor, "/annuaire", "annuaire en anglais")

	president := newTab(t, true)
	signInAs(t, president, demoSignIn(t, "association@courriel.localhost"))
	open(president, "/compte/annuaire", "mes fiches")
	wantText(t, president, "Refusée", "En attente de validation")
	click(t, president, `a[href^="/compte/annuaire/"]`)
	check(president, "proposer une modification")
	fill(t, president, map[string]string{"opening_hours": "Lu-Ve 9h-12h"}, `main form button[type=submit]`)
	wantText(t, president, "Horaires")
	check(president, "proposition refusée sur son champ")

	agent := newTab(t, true)
	signInAs(t, agent, demoSignIn(t, "vie-locale@montclair.localhost"))
	open(agent, "/gestion/annuaire", "gestion annuaire")
	open(agent, "/gestion/annuaire/nouvelle", "nouvelle fiche")
	fill(t, agent, nil, `main form button[type=submit]`)
	check(agent, "nouvelle fiche vide")
	open(agent, "/gestion/annuaire/moderation", "modération")
	click(t, agent, `a[href^="/gestion/annuaire/moderation/"]`)
	check(agent, "proposition")
	fill(t, agent, map[string]string{"reason": " "}, `form[action$="/refuser"] button[type=submit]`)
	check(agent, "refus sans raison")
	click(t, agent, `nav.breadcrumbs a[href="/gestion/annuaire"]`)
	click(t, agent, `table a[href^="/gestion/annuaire/"]`)
	check(agent, "fiche en gestion")

	s.finish()
}

// demoSignIn is the demo's sign-in of email.
func demoSignIn(t *testing.T, email string) app.SignIn {
	t.Helper()
	for _, s := range site.signIns {
		if s.Email == email {
			return s
		}
	}
	t.Fatalf("no demo sign-in for %s", email)
	return app.SignIn{}
}
