package app_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/alerts/alertsweb"
	"guichet/internal/capability/events/eventsweb"
	"guichet/internal/capability/news/newsweb"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
)

// TestDemoCollectivitesHaveTheirOwnContent: the village's news and events
// are not the town's, and each demo alert names one of its own collectivité's
// neighbourhoods.
func TestDemoCollectivitesHaveTheirOwnContent(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		titles := map[string][]string{}
		for _, tn := range []struct{ name, id string }{{"town", e.Town.ID}, {"village", e.Village.ID}} {
			list, _, err := newsweb.Of(e.App.Kernel).Store.ListPublic(ctx, tn.id, publishing.ListFilter{Limit: 50})
			if err != nil || len(list) == 0 {
				t.Fatalf("%s's news: %d, %v", tn.name, len(list), err)
			}
			for _, n := range list {
				titles[tn.name] = append(titles[tn.name], n.Title)
			}
			areas, err := alertsweb.Of(e.App.Kernel).Store.Areas(ctx, tn.id)
			if err != nil {
				t.Fatal(err)
			}
			active, err := alertsweb.Of(e.App.Kernel).Store.Active(ctx, tn.id)
			if err != nil || len(active) == 0 {
				t.Fatalf("%s's alerts: %d, %v", tn.name, len(active), err)
			}
			for _, a := range active {
				if !slices.Contains(areas, a.Area) || !strings.Contains(a.Title, a.Area) {
					t.Errorf("%s's alert %q is for %q, not one of %v", tn.name, a.Title, a.Area, areas)
				}
			}
		}
		for _, title := range titles["village"] {
			if slices.Contains(titles["town"], title) {
				t.Errorf("the village repeats the town's news %q", title)
			}
		}
		events := map[string][]string{}
		for _, tn := range []struct{ name, id string }{{"town", e.Town.ID}, {"village", e.Village.ID}} {
			list, err := eventsweb.Of(e.App.Kernel).Store.AllPublic(ctx, tn.id, "", e.App.Now().AddDate(0, -3, 0), 100)
			if err != nil || len(list) == 0 {
				t.Fatalf("%s's events: %d, %v", tn.name, len(list), err)
			}
			for _, ev := range list {
				events[tn.name] = append(events[tn.name], ev.Title)
			}
		}
		for _, title := range events["village"] {
			if slices.Contains(events["town"], title) {
				t.Errorf("the village repeats the town's event %q", title)
			}
		}
	}, apptest.WithDemoData())
}

// TestDemoShowsAnUploadOnTheCommonPath: a newcomer who goes from the home
// page to the birth certificate and asks for their own meets a file field
// (their identity document), not only those who ask for a relative.
func TestDemoShowsAnUploadOnTheCommonPath(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town)
		b.Get("/").Want(t, http.StatusOK).WantBody(t, `<a href="/demarches">`)
		b.Get("/demarches").Want(t, http.StatusOK).WantBody(t, `href="/demarches/acte-de-naissance"`)
		b.SignInDemo(t, "habitant@courriel.localhost")
		start := b.Post("/demarches/acte-de-naissance/commencer", url.Values{}).WantRedirect(t, "/dossiers/")
		step := strings.TrimSuffix(start.Location, "1")
		b.Post(step+"1", url.Values{"c.nom": {"Habitant"}, "c.prenom": {"Démo"}, "c.date_naissance": {"1990-05-12"}}).WantRedirect(t, step+"2")
		b.Post(step+"2", url.Values{"c.type_acte": {"Extrait avec filiation"}, "c.lien": {"La personne concernée"}, "c.exemplaires": {"1"}}).
			WantRedirect(t, step+"3")
		page := b.Get(step+"3").Want(t, http.StatusOK).
			WantBody(t, `<label for="champ-c.piece_identite">Pièce d&#39;identité</label>`, `type="file" id="champ-c.piece_identite" name="c.piece_identite"`)
		if strings.Contains(page.Body, "c.justificatif") {
			t.Error("the proof of filiation is asked of someone requesting their own certificate")
		}
	}, apptest.WithDemoData())
}

// TestDemoPracticalPagesInEasyReadAndEnglish: from the home page, every
// practical page of both demo collectivités links to its easy-to-read
// version, written in short sentences, and reads in English for an
// English reader, as some news items do.
func TestDemoPracticalPagesInEasyReadAndEnglish(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		pageLink := regexp.MustCompile(`<h2><a href="(/vie-pratique/[a-z0-9-]+)">`)
		for _, tn := range []*tenant.Tenant{e.Town, e.Village} {
			b := e.Browser(tn)
			b.Get("/").Want(t, http.StatusOK).WantBody(t, `<a href="/vie-pratique">`)
			links := pageLink.FindAllStringSubmatch(b.Get("/vie-pratique").Want(t, http.StatusOK).Body, -1)
			if len(links) < 3 {
				t.Fatalf("%s: %d practical pages", tn.Slug, len(links))
			}
			for _, l := range links {
				b.Get(l[1]).Want(t, http.StatusOK).WantBody(t, `<a href="`+l[1]+`?version=facile">Lire la version facile à lire et à comprendre (FALC)</a>`)
				easy := b.Get(l[1]+"?version=facile").Want(t, http.StatusOK).WantBody(t, `<div class="prose" lang="fr"><p>`).Body
				_, text, _ := strings.Cut(easy, `<div class="prose" lang="fr">`)
				text, _, _ = strings.Cut(text, "</div>")
				for _, s := range regexp.MustCompile(`[^.?!]+[.?!]`).FindAllString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(text, " "), -1) {
					if n := len(strings.Fields(s)); n > 15 {
						t.Errorf("%s%s: a sentence of %d words is not easy to read: %q", tn.Slug, l[1], n, s)
					}
				}
			}
			b.SetCookie("lang", "en")
			_, cards, _ := strings.Cut(b.Get("/vie-pratique").Want(t, http.StatusOK).Body, `<ul class="cards">`)
			cards, _, _ = strings.Cut(cards, "</ul>")
			if strings.Contains(cards, `lang="fr"`) || !strings.Contains(cards, "Town hall opening hours and contacts") {
				t.Errorf("%s: the practical pages are not all in English:\n%s", tn.Slug, cards)
			}
			for _, l := range links {
				if res := b.Get(l[1]).Want(t, http.StatusOK); strings.Contains(res.Body, `<div class="prose" lang="fr">`) {
					t.Errorf("%s%s shows its French text to an English reader", tn.Slug, l[1])
				}
			}
			list2, _, err := newsweb.Of(e.App.Kernel).Store.ListPublic(ctx, tn.ID, publishing.ListFilter{Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			english := 0
			for _, listed := range list2 {
				// Lists carry what they show, not the translations: read each whole.
				n, err := newsweb.Of(e.App.Kernel).Store.ByID(ctx, tn.ID, listed.ID)
				if err != nil {
					t.Fatal(err)
				}
				if n.TitleEN != "" {
					english++
					b.Get(n.URL()).Want(t, http.StatusOK).WantBody(t, "<h1>"+html.EscapeString(n.TitleEN)+"</h1>")
				}
			}
			if english == 0 {
				t.Errorf("%s: no news item in English", tn.Slug)
			}
		}
	}, apptest.WithDemoData())
}
