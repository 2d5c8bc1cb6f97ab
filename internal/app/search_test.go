package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"guichet/internal/apptest"
	"guichet/internal/capability/alerts/alertsweb"
	"guichet/internal/capability/procedure/procedureweb"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing/search"
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

		// A procedure renamed: the results kept for its old words are
		// dropped at once, its new name found.
		procs := procedureweb.Of(e.App.Kernel).Store
		birth, err := procs.ProcedureBySlug(ctx, e.Town.ID, "acte-de-naissance")
		if err != nil {
			t.Fatal(err)
		}
		b.Get("/recherche?q=zoologique").Want(t, http.StatusOK).WantBody(t, "Aucun résultat")
		birth.Title = "Demande d'acte de naissance zoologique"
		if err := procs.UpdateProcedure(ctx, birth); err != nil {
			t.Fatal(err)
		}
		b.Get("/recherche?q=zoologique").Want(t, http.StatusOK).WantBody(t, "acte de naissance zoologique")

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

// TestDemoWordsFoundAlikeWithoutAccentsOrInCapitals: for every word of the
// demo's published texts, the word as written, without its accents and in
// capitals find the same documents in the same order, on both databases.
func TestDemoWordsFoundAlikeWithoutAccentsOrInCapitals(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		words := map[string]bool{}
		err := db.Each(ctx, e.App.DB, `SELECT title, body FROM search_docs WHERE tenant_id = ?`, func(r db.Row) error {
			var title, body string
			if err := r.Scan(&title, &body); err != nil {
				return err
			}
			for _, w := range strings.FieldsFunc(title+" "+body, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
				words[w] = true
			}
			return nil
		}, e.Town.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(words) < 300 {
			t.Fatalf("%d words in the demo: the property is hardly tried", len(words))
		}
		ix := search.New(e.App.DB)
		ix.Now = e.App.Now
		found := func(q string) string {
			p, err := ix.Search(ctx, search.Query{TenantID: e.Town.ID, Text: q, Limit: 50})
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			var keys []string
			for _, h := range p.Hits {
				keys = append(keys, h.Kind+":"+h.ID)
			}
			return strings.Join(keys, " ")
		}
		unaccented := func(s string) string {
			out, _, _ := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
			return out
		}
		for w := range words {
			want := found(w)
			for _, form := range []string{unaccented(w), strings.ToUpper(w)} {
				if got := found(form); got != want {
					t.Errorf("%q finds [%s], %q finds [%s]", w, want, form, got)
				}
			}
		}
	}, apptest.WithDemoData())
}
