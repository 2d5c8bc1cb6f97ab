package content

import (
	"net/http"
	"net/url"
	"strconv"

	"guichet"
	"guichet/internal/content"
	"guichet/internal/tenant"
)

// adminPages lists the practical pages in menu order.
func (m *Module) adminPages(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	pages, err := m.store.AllPages(r.Context(), t.ID)
	if err != nil {
		return err
	}
	rows := make([]adminRow, len(pages))
	for i, pg := range pages {
		rows[i] = adminRow{ID: pg.ID, Title: pg.Title, Status: statusOf(pg.Status, pg.PublishAt), Category: strconv.Itoa(pg.MenuOrder),
			Updated: m.stamp(r, pg.UpdatedAt), URL: pg.URL()}
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Rows": rows})
	p.Title = p.T("content.admin.pages")
	m.s.Render.Page(w, r, http.StatusOK, "content/admin_pages", p)
	return nil
}

func (m *Module) pageForm(w http.ResponseWriter, r *http.Request) error {
	pg := &content.Page{}
	if id := r.PathValue("id"); id != "" {
		var err error
		if pg, err = m.store.PageByID(r.Context(), tenant.FromContext(r.Context()).ID, id); err != nil {
			return err
		}
	}
	v := url.Values{"title": {pg.Title}, "summary": {pg.Summary}, "body": {pg.Body}, "title_en": {pg.TitleEN},
		"body_en": {pg.BodyEN}, "menu_order": {strconv.Itoa(pg.MenuOrder)}}
	return m.renderPageForm(w, r, http.StatusOK, pg, v, nil)
}

func (m *Module) renderPageForm(w http.ResponseWriter, r *http.Request, status int, pg *content.Page, form url.Values, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", map[string]any{"Item": pg, "State": statusOf(pg.Status, pg.PublishAt)})
	p.Errors, p.Form = errs, form
	p.Title = p.T("content.admin.new_page")
	if pg.ID != "" {
		p.Title = p.T("content.admin.edit", pg.Title)
	}
	m.s.Render.Page(w, r, status, "content/admin_page_form", p)
	return nil
}

// savePage saves a page: "save" keeps its state, "publish" and
// "unpublish" change it.
func (m *Module) savePage(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	pg := &content.Page{TenantID: t.ID}
	if id := r.PathValue("id"); id != "" {
		var err error
		if pg, err = m.store.PageByID(r.Context(), t.ID, id); err != nil {
			return err
		}
	}
	if err := r.ParseForm(); err != nil {
		return guichet.Errorf(guichet.EInvalid, "Formulaire illisible.")
	}
	f := r.PostForm
	pg.Title, pg.Summary, pg.Body, pg.TitleEN, pg.BodyEN = f.Get("title"), f.Get("summary"), f.Get("body"), f.Get("title_en"), f.Get("body_en")
	var err error
	if pg.MenuOrder, err = strconv.Atoi(f.Get("menu_order")); err != nil {
		pg.MenuOrder = -1
	}
	action := "edited"
	if pg.ID == "" {
		action = "created"
	}
	switch f.Get("action") {
	case "publish":
		pg.Status, action = content.StatusPublished, "published"
	case "unpublish":
		pg.Status, action = content.StatusUnpublished, "unpublished"
	}
	err = m.store.SavePage(r.Context(), pg, author(r), action)
	if fields := fieldErrors(err); fields != nil {
		return m.renderPageForm(w, r, http.StatusUnprocessableEntity, pg, f, fields)
	}
	if err != nil {
		return err
	}
	m.record(r, "content.page_"+action, pg.Title)
	return seeOther(w, r, "/gestion/pages/"+pg.ID+"?enregistre=1")
}
