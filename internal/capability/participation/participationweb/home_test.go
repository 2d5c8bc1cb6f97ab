package participationweb_test

import (
	"net/http"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/participation/participationweb"
)

// TestHomeGathersSpacesDebatesAndPolls: the demo's home of participation
// lists the town's spaces, its open debates (not the closed one), its
// latest discussions and its open consultations; the village's lists
// its own only.
func TestHomeGathersSpacesDebatesAndPolls(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		page := debateText(e.Browser(e.Town).Get(participationweb.HomePath).Want(t, http.StatusOK).Body)
		for _, want := range []string{"Quartier des Tilleuls", "Débats de la commune", "Faut-il rendre la rue du Marché piétonne le samedi ?",
			"On va ensemble au concert de l'harmonie ?", "Aménagement du parc des Glycines"} {
			if !strings.Contains(page, want) {
				t.Errorf("the home page lacks %q", want)
			}
		}
		if strings.Contains(page, "Faut-il éteindre l'éclairage public") {
			t.Error("a closed debate is listed among the open ones")
		}
		if strings.Contains(page, "Horaires d'ouverture de la médiathèque") {
			t.Error("a closed consultation is listed among the open ones")
		}
		village := debateText(e.Browser(e.Village).Get(participationweb.HomePath).Want(t, http.StatusOK).Body)
		if !strings.Contains(village, "Vie du village") {
			t.Error("the village's home lacks its space")
		}
		if strings.Contains(village, "Quartier des Tilleuls") {
			t.Error("the village's home lists the town's spaces")
		}
	}, apptest.WithDemoData())
}
