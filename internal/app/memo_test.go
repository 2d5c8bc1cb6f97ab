package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"guichet/internal/apptest"
)

// TestHomePageMemoNeverStale checks that the memoized home page follows
// every input: a signed-out visitor sees a change to the collectivité at
// once, the other language, and a signed-in visitor always gets a fresh page.
func TestHomePageMemoNeverStale(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town)
		first := b.Get("/").Want(t, http.StatusOK).Body
		if again := b.Get("/").Body; again != first {
			t.Fatal("two renders of the same inputs differ")
		}
		town := *e.Town
		town.Name = "Ville de Montclair (nouveau nom)"
		if _, err := e.App.Tenants.Update(context.Background(), town); err != nil {
			t.Fatal(err)
		}
		b.Get("/").WantBody(t, "Ville de Montclair (nouveau nom)")
		b.Get("/langue/en?suite=/")
		if body := b.Get("/").Body; !strings.Contains(body, `lang="en"`) {
			t.Fatal("the English page came from the French memo")
		}
		resident := e.Browser(e.Town).SignInDemo(t, "habitante@courriel.localhost")
		resident.Get("/").WantBody(t, "/deconnexion")
		if strings.Contains(b.Get("/").Body, "/deconnexion") {
			t.Fatal("a signed-out visitor got a signed-in page")
		}
	}, apptest.WithDemoData())
}
