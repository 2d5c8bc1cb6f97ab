package pagesweb_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"guichet/internal/apptest"
)

// TestEasyReadVersionOfAPage: an editor writes a page's easy-to-read
// (FALC) version in its form; the public page links to it at the top, and
// the version has its own title, the French language marked, and a link
// back. A page without one offers no link, and asking for it shows the
// page itself. English readers of an untranslated page are told, by its
// lang attributes, that its words are French.
func TestEasyReadVersionOfAPage(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		editor := e.Browser(e.Town).SignInDemo(t, "communication@montclair.localhost")
		editor.Get("/gestion/pages/nouvelle").Want(t, http.StatusOK).
			WantBody(t, `<label for="champ-easy_read">Version facile à lire et à comprendre (FALC)</label>`, `name="easy_read"`)
		editor.Post("/gestion/pages/nouvelle", url.Values{"title": {"Cimetière"}, "body": {"Le cimetière est ouvert de 8 h à 18 h, du 1er avril au 31 octobre."},
			"easy_read": {"Le cimetière est ouvert tous les jours.\n\nIl ouvre à 8 heures."}, "menu_order": {"50"}, "action": {"publish"}}).
			WantRedirect(t, "/gestion/pages/")
		editor.Post("/gestion/pages/nouvelle", url.Values{"title": {"Marché"}, "body": {"Le marché se tient le jeudi matin."},
			"menu_order": {"60"}, "action": {"publish"}}).WantRedirect(t, "/gestion/pages/")

		visitor := e.Browser(e.Town)
		page := visitor.Get("/vie-pratique/cimetiere").Want(t, http.StatusOK).
			WantBody(t, `<a href="/vie-pratique/cimetiere?version=facile">Lire la version facile à lire et à comprendre (FALC)</a>`,
				"du 1er avril au 31 octobre")
		if strings.Contains(page.Body, "Il ouvre à 8 heures.") {
			t.Error("the page shows its easy-to-read version beside the full text")
		}
		easy := visitor.Get("/vie-pratique/cimetiere?version=facile").Want(t, http.StatusOK).
			WantBody(t, "<title>Cimetière – version facile à lire – ", `<div class="prose" lang="fr"><p>Le cimetière est ouvert tous les jours.</p>`,
				`<a href="/vie-pratique/cimetiere">Lire la version complète</a>`)
		if strings.Contains(easy.Body, "du 1er avril au 31 octobre") {
			t.Error("the easy-to-read version shows the full text too")
		}
		// An English reader: the link in English; the page, untranslated,
		// has its French marked.
		visitor.SetCookie("lang", "en")
		visitor.Get("/vie-pratique/cimetiere").Want(t, http.StatusOK).
			WantBody(t, `<a href="/vie-pratique/cimetiere?version=facile">Read the easy-to-read version (in French)</a>`,
				`<h1 lang="fr">Cimetière</h1>`, `<div class="prose" lang="fr"><p>Le cimetière est ouvert de 8 h`,
				`<a href="/vie-pratique/marche" lang="fr">Marché</a>`)
		visitor.SetCookie("lang", "fr")

		for _, path := range []string{"/vie-pratique/marche", "/vie-pratique/marche?version=facile"} {
			res := visitor.Get(path).Want(t, http.StatusOK).WantBody(t, "<title>Marché – ", "Le marché se tient le jeudi matin.")
			if strings.Contains(res.Body, "version=facile") || strings.Contains(res.Body, "version facile") {
				t.Errorf("%s offers an easy-to-read version it does not have", path)
			}
		}
	}, apptest.WithDemoData())
}
