package pagesweb

import (
	"html/template"
	"net/http"

	"guichet/internal/capability/pages"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
)

// entry is a page as a menu, a list or its own page heads it: its title
// in the reader's language when it has one. Summaries have no translation:
// an English reader gets one only beside the French title, and Lang is
// then "fr", so that screen readers speak both in French.
type entry struct {
	*pages.Page
	Title, Summary, Lang string
}

func entryOf(pg *pages.Page, lang string) entry {
	switch {
	case lang != "en":
		return entry{Page: pg, Title: pg.Title, Summary: pg.Summary}
	case pg.TitleEN != "":
		return entry{Page: pg, Title: pg.TitleEN}
	default:
		return entry{Page: pg, Title: pg.Title, Summary: pg.Summary, Lang: "fr"}
	}
}

func entries(menu []*pages.Page, lang string) []entry {
	out := make([]entry, len(menu))
	for i, pg := range menu {
		out[i] = entryOf(pg, lang)
	}
	return out
}

// index lists the practical pages, in the menu's order.
func (m *Module) index(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	menu, err := m.store.Menu(r.Context(), t.ID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Menu": entries(menu, web.LangOf(r))})
	p.Title = p.T("pages.title")
	m.s.Render.PageData(w, r, "pages/pages", p)
	return nil
}

// pageView is what a page's template shows; BodyLang is "fr" when an
// English reader sees the French text.
type pageView struct {
	Page           *pages.Page
	Entry          entry
	Menu           []entry
	HTML, EasyHTML template.HTML
	Easy           bool // the easy-to-read version is shown
	BodyLang       string
}

// page shows a published page beside the menu, in English when it has a
// translation and the visitor reads English, or its easy-to-read (FALC)
// version when asked for one that exists (?version=facile, as news do).
func (m *Module) page(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	pg, menu, err := m.store.PublicWithMenu(r.Context(), t.ID, r.PathValue("slug"))
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	v := pageView{Page: pg, Entry: entryOf(pg, lang), Menu: entries(menu, lang)}
	body := pg.Body
	if lang == "en" {
		if body = pg.BodyEN; body == "" {
			body, v.BodyLang = pg.Body, "fr"
		}
	}
	v.HTML = publishing.HTML(body)
	if pg.EasyRead != "" {
		v.EasyHTML, v.Easy = publishing.HTML(pg.EasyRead), r.URL.Query().Get("version") == "facile"
	}
	title := v.Entry.Title
	p := m.s.Render.NewPage(r, title, v)
	if v.Easy {
		p.Title = p.T("pages.easy_title", title) // another page, another title
	}
	m.s.Render.PageData(w, r, "pages/page", p)
	return nil
}
