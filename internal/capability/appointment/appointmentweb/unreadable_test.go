package appointmentweb_test

import (
	"net/http"
	"testing"

	"guichet/internal/apptest"
)

// A form whose type cannot be parsed is the sender's mistake: 422 with the
// same message as every other module, never a server error.
func TestUnreadableFormIsRefusedAs422(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		garbled := http.Header{"Content-Type": {"text/plain; ="}}
		visitor := e.Browser(e.Town)
		agent := e.Browser(e.Town).SignInDemo(t, "etat-civil@montclair.localhost")
		for _, c := range []struct {
			who  *apptest.Browser
			path string
		}{
			{visitor, "/rendez-vous/passeports-cni/passeport-cni/coordonnees"},
			{visitor, "/rendez-vous/passeports-cni/passeport-cni/liste-attente"},
			{visitor, "/preferences"},
			{agent, "/gestion/rendez-vous/passeports-cni/reserver"},
			{agent, "/gestion/rendez-vous/passeports-cni/blocages"},
			{agent, "/gestion/rendez-vous/passeports-cni/reglages"},
		} {
			c.who.Do(http.MethodPost, c.path, nil, garbled).Want(t, http.StatusUnprocessableEntity).WantBody(t, "Formulaire illisible.")
		}
	}, apptest.WithDemoData())
}
