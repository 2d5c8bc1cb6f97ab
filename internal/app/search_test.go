package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/alerts/alertsweb"
)

// TestSearchFindsServicesFirst: residents search for a service, not for
// a news item: a procedure or a kind of appointment whose title holds the
// query is the direct answer, results come grouped by kind, a current
// alert is found until it is withdrawn, a misspelt word is corrected.
func TestSearchFindsServicesFirst(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town)
		answer := func(q, link, action string) {
			t.Helper()
			body := b.Get("/recherche?q="+q).Want(t, http.StatusOK).Body
			i := strings.Index(body, `<section class="answer"`)
			if i < 0 {
				t.Fatalf("%q: no direct answer", q)
			}
			if j := strings.Index(body, "results-"); j >= 0 && j < i {
				t.Errorf("%q: the answer comes after the groups", q)
			}
			if !strings.Contains(body[i:], `<a class="button" href="`+link) || !strings.Contains(body[i:], `">`+action) {
				t.Errorf("%q: the answer does not lead to %s (%s)", q, link, action)
			}
		}
		answer("acte+de+naissance", "/demarches/acte-de-naissance", "Faire la démarche")
		// Any of the passport counter's kinds of appointment.
		answer("passeport", "/rendez-vous/passeports-cni/", "Prendre rendez-vous")
		answer("passepor", "/rendez-vous/passeports-cni/", "Prendre rendez-vous")

		b.Get("/recherche?q=inscritpion").Want(t, http.StatusOK).
			WantBody(t, "Aucun résultat pour «\u00a0inscritpion\u00a0». Résultats pour «\u00a0inscription\u00a0»", `href="/demarches/inscription-scolaire"`)

		// One kind, page by page, with the way back to every kind.
		b.Get("/recherche?q=passeport&type=appointment").Want(t, http.StatusOK).
			WantBody(t, `<h2>Rendez-vous</h2>`, `href="/recherche?q=passeport">Tous les résultats`, `/rendez-vous/passeports-cni/famille`)
		// An unknown kind is the first page.
		b.Get("/recherche?q=passeport&type=inconnu").Want(t, http.StatusOK).WantBody(t, `<section class="answer"`)

		ctx := context.Background()
		alerts := alertsweb.Of(e.App.Kernel).Store
		active, err := alerts.Active(ctx, e.Town.ID)
		if err != nil || len(active) == 0 {
			t.Fatalf("the demo's alerts: %v %v", active, err)
		}
		word := strings.Fields(active[0].Title)[0]
		b.Get("/recherche?q="+word).Want(t, http.StatusOK).WantBody(t, `id="results-alert"`)
		if err := alerts.Withdraw(ctx, e.Town.ID, active[0].ID); err != nil {
			t.Fatal(err)
		}
		if body := b.Get("/recherche?q="+word).Want(t, http.StatusOK).Body; strings.Contains(body, `id="results-alert"`) {
			t.Errorf("a withdrawn alert is still found")
		}

		// Suggestions as one types, and the box that asks for them on every page.
		var got struct {
			Suggestions []struct{ Title, URL, Kind string }
		}
		r := b.Get("/recherche/suggestions?q=passep").Want(t, http.StatusOK)
		if err := json.Unmarshal([]byte(r.Body), &got); err != nil || len(got.Suggestions) == 0 ||
			!strings.HasPrefix(got.Suggestions[0].Title, "Passeport") || got.Suggestions[0].URL == "" {
			t.Errorf("suggestions for passep: %+v %v", got, err)
		}
		if body := b.Get("/recherche/suggestions?q=p").Want(t, http.StatusOK).Body; !strings.Contains(body, `"suggestions":[]`) {
			t.Errorf("one letter gets suggestions: %s", body)
		}
		b.Get("/agenda").Want(t, http.StatusOK).WantBody(t, `list="suggestions-site"`, `<datalist id="suggestions-site"></datalist>`,
			`<script src="/static/js/suggest.`)
	}, apptest.WithDemoData())
}
