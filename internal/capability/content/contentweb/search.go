package contentweb

import (
	"net/http"
	"net/url"
	"strings"

	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing/search"
)

// maxQuery bounds the length of a search.
const maxQuery = 200

// search is the site search over news, events, pages and answers.
func (m *Module) search(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > maxQuery {
		q = q[:maxQuery]
	}
	data := map[string]any{"Query": q}
	if q != "" {
		res, err := m.store.Search.Search(r.Context(), search.Query{TenantID: t.ID, Text: q, After: r.URL.Query().Get("apres")})
		if err != nil {
			return err
		}
		data["Results"], data["Q"] = res, url.QueryEscape(q)
	}
	p := m.s.Render.NewPage(r, "", data)
	p.Title = p.T("content.search.title")
	if q != "" {
		p.Title = p.T("content.search.results_for", q)
	}
	m.s.Render.Page(w, r, http.StatusOK, "content/search", p)
	return nil
}
