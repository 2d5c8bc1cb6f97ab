package contentweb

import (
	"net/http"

	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
)

// pagesIndex lists the practical pages, in the menu's order, with the
// collectivité's contact details.
func (m *Module) pagesIndex(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	menu, err := m.store.Menu(r.Context(), t.ID)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Menu": menu})
	p.Title = p.T("content.pages.title")
	m.s.Render.Page(w, r, http.StatusOK, "content/pages", p)
	return nil
}

func (m *Module) page(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	pg, err := m.store.PublicPage(r.Context(), t.ID, r.PathValue("slug"))
	if err != nil {
		return err
	}
	menu, err := m.store.Menu(r.Context(), t.ID)
	if err != nil {
		return err
	}
	title, body := pg.Title, pg.Body
	if langOf(r) == "en" && pg.TitleEN != "" {
		title, body = pg.TitleEN, pg.BodyEN
	}
	p := m.s.Render.NewPage(r, title, map[string]any{"Page": pg, "Menu": menu, "HTML": publishing.HTML(body)})
	m.s.Render.Page(w, r, http.StatusOK, "content/page", p)
	return nil
}
