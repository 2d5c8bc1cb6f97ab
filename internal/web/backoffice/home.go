package backoffice

import (
	"net/http"

	"guichet/internal/account"
)

// home lists the sections the signed-in staff member's roles open.
func (m *Module) home(w http.ResponseWriter, r *http.Request) error {
	id := account.FromContext(r.Context())
	p := m.s.Render.NewPage(r, "", map[string]any{"Sections": m.SectionsFor(id), "Roles": id.Roles,
		"Services": id.Services, "Title": id.Title})
	p.Title = p.T("backoffice.home")
	m.s.Render.Page(w, r, http.StatusOK, "backoffice/home", p)
	return nil
}
