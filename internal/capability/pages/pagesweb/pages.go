package pagesweb

import (
	"net/http"

	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
)

// index lists the practical pages, in the menu's order.
func (m *Module) index(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	menu, err := m.store.Menu(r.Context(), t.ID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Menu": menu})
	p.Title = p.T("pages.title")
	m.s.Render.PageData(w, r, "pages/pages", p)
	return nil
}

// page shows a published page beside the menu, in English when it has a
// translation and the visitor reads English.
func (m *Module) page(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	pg, menu, err := m.store.PublicWithMenu(r.Context(), t.ID, r.PathValue("slug"))
	if err != nil {
		return err
	}
	title, body := pg.Title, pg.Body
	if web.LangOf(r) == "en" && pg.TitleEN != "" {
		title, body = pg.TitleEN, pg.BodyEN
	}
	p := m.s.Render.NewPage(r, title, map[string]any{"Page": pg, "Menu": menu, "HTML": publishing.HTML(body)})
	m.s.Render.PageData(w, r, "pages/page", p)
	return nil
}
