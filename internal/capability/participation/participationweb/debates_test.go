package participationweb_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/participation"
	"guichet/internal/capability/participation/participationweb"
	"guichet/internal/kernel/db"
)

// debateText is s as a page shows it: escaped, its spaces of French
// typography plain.
func debateText(s string) string {
	return strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(html.UnescapeString(s))
}

// debateSection returns the column of side on a debate page.
func debateSection(t *testing.T, page, side string) string {
	t.Helper()
	s := regexp.MustCompile(`(?s)<h3 id="cote-` + side + `">.*?</section>`).FindString(page)
	if s == "" {
		t.Fatalf("the page has no column %q", side)
	}
	return debateText(s)
}

// inOrder fails unless each of want shows in s, in that order.
func inOrder(t *testing.T, s string, want ...string) {
	t.Helper()
	last := -1
	for _, w := range want {
		i := strings.Index(s, w)
		if i < 0 {
			t.Errorf("%q is missing", w)
			return
		}
		if i < last {
			t.Errorf("%q shows before the one above it; want the order %q", w, want)
			return
		}
		last = i
	}
}

// debateResident creates a resident with the test password and a browser
// signed in as them.
func debateResident(t *testing.T, e *apptest.Env, email, name string) (participation.Author, *apptest.Browser) {
	t.Helper()
	u := e.Resident(e.Town, email, name)
	b := e.Browser(e.Town)
	b.SignIn(t, email, apptest.Password)
	return participation.Author{ID: u.ID, Name: name, Since: u.CreatedAt}, b
}

func TestDebatePages(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		store := participationweb.Of(e.App.Kernel).Store
		anon := e.Browser(e.Town)

		// The demo's debate: both sides sorted by support, the new
		// account's argument held.
		threads, err := store.Threads(ctx, e.Town.ID, "", participation.Debate, 50)
		if err != nil {
			t.Fatal(err)
		}
		var market, lights *participation.Thread
		for _, th := range threads {
			switch {
			case strings.Contains(th.Title, "rue du Marché"):
				market = th
			case strings.Contains(th.Title, "éclairage public"):
				lights = th
			}
		}
		if market == nil || lights == nil || market.Closed() || !lights.Closed() {
			t.Fatalf("the demo's debates: %v, %v", market, lights)
		}
		page := anon.Get(market.Path()).Want(t, http.StatusOK).Body
		inOrder(t, debateSection(t, page, "pour"), "Pour : 6 arguments", "on se faufile", "Les villes voisines",
			"Moins de bruit", "Avec la navette", "L'association des commerçants", "essai de trois mois")
		inOrder(t, debateSection(t, page, "contre"), "Contre : 5 arguments", "Les personnes âgées",
			"Je tiens un commerce", "Les voitures ne disparaîtront pas", "Avant de fermer", "Les livraisons jusqu'à 10 h")
		inOrder(t, debateText(page), "Les deux arguments les plus soutenus", "on se faufile", "Les personnes âgées",
			"Tous les arguments")
		if strings.Contains(page, "je livre les commandes de ma mère") {
			t.Error("a held argument shows to visitors")
		}
		list := debateText(anon.Get(participationweb.DebatesPath).Want(t, http.StatusOK).Body)
		inOrder(t, list, "Débats ouverts", "rue du Marché", "Débats clos", "éclairage public", "Le débat a réuni")

		// A debate of the test's own.
		sp := &participation.Space{TenantID: e.Town.ID, Slug: "debats-du-test", Name: "Débats du test"}
		if err := store.CreateSpace(ctx, sp); err != nil {
			t.Fatal(err)
		}
		th := &participation.Thread{Kind: participation.Debate, Title: "Un kiosque à musique sur la place ?"}
		if _, err := store.StartThread(ctx, sp, th, participation.Author{Staff: true, Name: "Mairie"}, "Le contexte du kiosque."); err != nil {
			t.Fatal(err)
		}
		_, aliceB := debateResident(t, e, "alice@courriel.example", "Alice Test")
		_, bobB := debateResident(t, e, "bob@courriel.example", "Bob Test")
		_, carolB := debateResident(t, e, "carol@courriel.example", "Carol Test")

		argue := func(b *apptest.Browser, side, body string) string {
			t.Helper()
			res := b.Post(th.Path()+"/arguments", url.Values{"side": {side}, "body": {body}}).Want(t, http.StatusSeeOther)
			_, id, ok := strings.Cut(res.Location, "#argument-")
			if !ok || !strings.HasPrefix(res.Location, th.Path()+"?ok=publie") {
				t.Fatalf("after an argument: %s", res.Location)
			}
			return id
		}
		first := argue(aliceB, participation.For, "Premier argument pour.")
		second := argue(bobB, participation.For, "Second argument pour.")
		// No side, no text: the form again, with the errors and the text.
		res := aliceB.Post(th.Path()+"/arguments", url.Values{"body": {"Un texte gardé."}}).Want(t, http.StatusUnprocessableEntity)
		res.WantBody(t, "error-summary", "Un texte gardé.")
		aliceB.Post(th.Path()+"/arguments", url.Values{"side": {participation.For}}).Want(t, http.StatusUnprocessableEntity)

		// The argument page with no one against yet.
		page = debateText(anon.Get(th.Path()+"/arguments/"+first).Want(t, http.StatusOK).Body)
		inOrder(t, page, "Premier argument pour", "Personne n'a encore défendu le côté « Contre »", "Ajoutez le premier argument")
		against := argue(carolB, participation.Against, "Un argument contre.")

		support := func(b *apptest.Browser, id string, withdraw bool) *apptest.Response {
			t.Helper()
			form := url.Values{}
			if withdraw {
				form.Set("retirer", "1")
			}
			return b.Post(th.Path()+"/arguments/"+id+"/soutien", form)
		}
		// Carol supports the second: it goes first.
		support(carolB, second, false).Want(t, http.StatusSeeOther)
		page = anon.Get(th.Path()).Want(t, http.StatusOK).Body
		inOrder(t, debateSection(t, page, "pour"), "Pour : 2 arguments", "Second argument pour", "1 soutien", "Premier argument pour")
		// Alice may not support her own; Bob and Carol support the first,
		// which goes first.
		support(aliceB, first, false).Want(t, http.StatusForbidden)
		support(bobB, first, false).Want(t, http.StatusSeeOther)
		res = support(carolB, first, false).Want(t, http.StatusSeeOther)
		if res.Location != th.Path()+"?ok=soutenu#argument-"+first {
			t.Errorf("after a support: %s", res.Location)
		}
		page = carolB.Get(th.Path()).Want(t, http.StatusOK).Body
		col := debateSection(t, page, "pour")
		inOrder(t, col, "Premier argument pour", "2 soutiens", "Retirer mon soutien", "Second argument pour", "1 soutien")
		// Carol withdraws both: the second, older-supported, is back below.
		support(carolB, second, true).Want(t, http.StatusSeeOther)
		if m, _ := store.Message(ctx, e.Town.ID, second); m.Supports != 0 {
			t.Errorf("after withdrawing, %d supports", m.Supports)
		}

		// An argument's page shows the strongest opposing one beside it.
		page = debateText(anon.Get(th.Path()+"/arguments/"+against).Want(t, http.StatusOK).Body)
		inOrder(t, page, "Un argument contre", "Pour : l'argument opposé le plus soutenu", "Premier argument pour", "2 soutiens")
		if strings.Contains(page, "Second argument pour") {
			t.Error("the argument page shows more than the strongest opposing argument")
		}
		anon.Get(th.Path()+"/arguments/"+market.ID).Want(t, http.StatusNotFound)
		// Its buttons come back to the page read.
		for _, withdraw := range []string{"1", ""} {
			res = bobB.Post(th.Path()+"/arguments/"+first+"/soutien", url.Values{"retirer": {withdraw}, "depuis": {against}}).
				Want(t, http.StatusSeeOther)
			if !strings.HasPrefix(res.Location, th.Path()+"/arguments/"+against+"?ok=") {
				t.Errorf("after a support from an argument's page: %s", res.Location)
			}
		}

		// A moderator closes it with a summary.
		mod := e.Browser(e.Town).SignInDemo(t, "moderation@montclair.localhost")
		mod.Get(participationweb.DebatesAdminPath+"/"+th.ID).Want(t, http.StatusOK).WantBody(t, "Les arguments de chaque côté",
			`<th scope="row">Pour</th><td class="number">2</td><td class="number">0</td><td class="number">0</td><td class="number">2</td>`,
			`<th scope="row">Contre</th><td class="number">1</td><td class="number">0</td><td class="number">0</td><td class="number">0</td>`,
			"Clore le débat")
		aliceB.Get(participationweb.DebatesAdminPath+"/"+th.ID).Want(t, http.StatusForbidden)
		mod.Post(participationweb.DebatesAdminPath+"/"+th.ID+"/synthese", url.Values{"summary": {" "}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, "error-summary")
		mod.Post(participationweb.DebatesAdminPath+"/"+th.ID+"/synthese",
			url.Values{"summary": {"Les habitants veulent un kiosque.\n\nLe conseil votera les crédits."}}).
			Want(t, http.StatusSeeOther)
		page = debateText(anon.Get(th.Path()).Want(t, http.StatusOK).Body)
		inOrder(t, page, "Synthèse du débat", "Les habitants veulent un kiosque.", "Le conseil votera les crédits.",
			"Premier argument pour")
		if strings.Contains(page, "Publier mon argument") || strings.Contains(aliceB.Get(th.Path()).Body, "Publier mon argument") {
			t.Error("a closed debate offers the form")
		}
		aliceB.Post(th.Path()+"/arguments", url.Values{"side": {participation.Against}, "body": {"Trop tard."}}).
			Want(t, http.StatusConflict)
		support(bobB, second, false).Want(t, http.StatusConflict)
		if got, _ := store.Thread(ctx, e.Town.ID, th.ID); got.Replies != 3 || !got.Closed() {
			t.Errorf("the closed debate: %d arguments, closed %v", got.Replies, got.Closed())
		}
		list = debateText(anon.Get(participationweb.DebatesPath).Want(t, http.StatusOK).Body)
		inOrder(t, list, "Débats clos", "Un kiosque à musique", "Les habitants veulent un kiosque.")

		// A moderator opens a debate.
		mod.Get(participationweb.DebatesAdminPath+"/nouveau").Want(t, http.StatusOK).WantBody(t, "Débats du test")
		mod.Post(participationweb.DebatesAdminPath+"/nouveau", url.Values{"space": {sp.ID}, "title": {""}, "body": {"Contexte."}}).
			Want(t, http.StatusUnprocessableEntity).WantBody(t, "error-summary")
		res = mod.Post(participationweb.DebatesAdminPath+"/nouveau", url.Values{"space": {sp.ID},
			"title": {"Des bancs sur le mail ?"}, "body": {"Le mail manque de bancs."}}).Want(t, http.StatusSeeOther)
		id := strings.TrimSuffix(strings.TrimPrefix(res.Location, participationweb.DebatesAdminPath+"/"), "?ok=ouvert")
		opened, err := store.Thread(ctx, e.Town.ID, id)
		if err != nil || opened.Kind != participation.Debate || !opened.ByStaff || opened.State != participation.Visible {
			t.Fatalf("the debate opened: %+v, %v", opened, err)
		}
		anon.Get(opened.Path()).Want(t, http.StatusOK).WantBody(t, "Le mail manque de bancs.")

		// A debate's pages run the same few queries whatever its size:
		// the demo's (12 arguments) as the test's (3) and the new one (0).
		big, err := store.Strongest(ctx, e.Town.ID, market.ID, participation.For)
		if err != nil {
			t.Fatal(err)
		}
		// The fewest of three loads after a warming one: a shared cache
		// whose time ran out meanwhile (on a loaded machine) adds its
		// query to one load, not to the page.
		queries := func(path string) int64 {
			t.Helper()
			h := e.App.Web.Handler()
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, anon.URL(path), nil)) // warm the caches
			fewest := int64(-1)
			for range 3 {
				var n atomic.Int64
				req := httptest.NewRequest(http.MethodGet, anon.URL(path), nil)
				req = req.WithContext(db.WithQueryCounter(req.Context(), &n))
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					t.Fatalf("%s: status %d", path, rec.Code)
				}
				if fewest < 0 || n.Load() < fewest {
					fewest = n.Load()
				}
			}
			return fewest
		}
		for _, group := range [][]string{{market.Path(), th.Path(), opened.Path(), lights.Path()},
			{market.Path() + "/arguments/" + big.ID, th.Path() + "/arguments/" + first}} {
			want := queries(group[0])
			if want > 6 {
				t.Errorf("%s: %d queries, want at most 6", group[0], want)
			}
			for _, path := range group[1:] {
				if n := queries(path); n != want {
					t.Errorf("%s: %d queries, %s: %d", group[0], want, path, n)
				}
			}
		}
	}, apptest.WithDemoData())
}
