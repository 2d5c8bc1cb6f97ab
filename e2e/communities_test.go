package e2e

import (
	"testing"
)

// TestCommunitiesInBrowser walks the communities' pages as a visitor (the
// list and a community, in French and English), as a resident who joins
// one and saves his digest choices, as the Amicale des Tilleuls'
// president who animates her neighbourhood (an empty announcement refused
// on its fields), and as the vie-locale agent (an empty new community
// refused, a community's form): every page has no axe violation, fits
// 320 px and passes the Nu HTML Checker.
func TestCommunitiesInBrowser(t *testing.T) {
	needBrowser(t)
	s := newStory(t, "montclair")
	check, open := s.check, s.open

	visitor := newTab(t, true)
	open(visitor, "/communautes", "communautés")
	wantText(t, visitor, "Quartier des Tilleuls", "Marche et patrimoine")
	open(visitor, "/communautes/quartier-des-tilleuls", "communauté de quartier")
	wantText(t, visitor, "Coupure d'eau", "Connectez-vous pour rejoindre cette communauté")
	open(visitor, "/langue/en?suite=/communautes/ecole-jules-ferry", "communauté en anglais")
	wantText(t, visitor, "The community's feed")

	resident := newTab(t, true)
	signInAs(t, resident, demoSignIn(t, "habitant@courriel.localhost"))
	open(resident, "/communautes/jardins-partages", "communauté à rejoindre")
	click(t, resident, `form[action$="/rejoindre"] button`)
	wantText(t, resident, "Vous faites partie")
	check(resident, "communauté rejointe")
	open(resident, "/mon-espace/communautes", "mes communautés")
	wantText(t, resident, "Jardins partagés de la Gare", "Le fil de mes communautés")
	fill(t, resident, map[string]string{"frequency": "daily"}, `form[action="/mon-espace/communautes"] button[type=submit]`)
	wantText(t, resident, "Vos choix sont enregistrés.")
	check(resident, "mes choix enregistrés")

	president := newTab(t, true)
	signInAs(t, president, demoSignIn(t, "association@courriel.localhost"))
	open(president, "/communautes/quartier-des-tilleuls/animer", "animer le quartier")
	fill(t, president, nil, `form[action$="/annonces"] button[type=submit]`)
	wantText(t, president, "Donnez un titre à l'annonce.")
	check(president, "annonce vide refusée")

	agent := newTab(t, true)
	signInAs(t, agent, demoSignIn(t, "vie-locale@montclair.localhost"))
	open(agent, "/gestion/communautes", "gestion des communautés")
	open(agent, "/gestion/communautes/nouvelle", "nouvelle communauté")
	fill(t, agent, nil, `main form button[type=submit]`)
	wantText(t, agent, "Donnez un nom à la communauté.")
	check(agent, "nouvelle communauté vide")
	open(agent, "/gestion/communautes", "gestion des communautés")
	click(t, agent, `table a[href^="/gestion/communautes/"]`)
	wantText(t, agent, "Animateurs")
	check(agent, "communauté en gestion")

	s.finish()
}
