package contentweb

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/capability/content"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing/publishingweb"
)

// adminPages lists the practical pages in menu order.
func (m *Module) adminPages(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	pages, err := m.store.AllPages(r.Context(), t.ID)
	if err != nil {
		return err
	}
	rows := make([]publishingweb.Row, len(pages))
	for i, pg := range pages {
		rows[i] = publishingweb.Row{ID: pg.ID, Title: pg.Title, Status: m.desk.State(pg.Status, pg.PublishAt), Category: strconv.Itoa(pg.MenuOrder),
			Updated: publishingweb.Stamp(r, pg.UpdatedAt), URL: pg.URL()}
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
	return m.renderPageForm(w, r, http.StatusOK, pg, m.desk.Values(r, v, pg.Publication()), nil, false)
}

func (m *Module) renderPageForm(w http.ResponseWriter, r *http.Request, status int, pg *content.Page, form url.Values,
	errs map[string]string, preview bool) error {
	data := m.desk.EditorData(r, pg.Publication(), form, preview)
	data["Item"] = pg
	p := m.s.Render.NewPage(r, "", data)
	p.Errors, p.Form = errs, form
	p.Title = p.T("content.admin.new_page")
	if pg.ID != "" {
		p.Title = p.T("content.admin.edit", pg.Title)
	}
	m.s.Render.Page(w, r, status, "content/admin_page_form", p)
	return nil
}

// savePage saves a page like saveNews: "save" keeps its state, "publish"
// publishes now or at the date given, "unpublish" takes it down, "preview"
// shows the text without saving.
func (m *Module) savePage(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	pg := &content.Page{TenantID: t.ID}
	if id := r.PathValue("id"); id != "" {
		var err error
		if pg, err = m.store.PageByID(r.Context(), t.ID, id); err != nil {
			return err
		}
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	errs := map[string]string{}
	ed := m.desk.ReadEdit(r, f, errs)
	if ed.Preview() {
		return m.renderPageForm(w, r, http.StatusOK, pg, f, errs, true)
	}
	pg.Title, pg.Summary, pg.Body, pg.TitleEN, pg.BodyEN = f.Get("title"), f.Get("summary"), f.Get("body"), f.Get("title_en"), f.Get("body_en")
	var err error
	if pg.MenuOrder, err = strconv.Atoi(strings.TrimSpace(f.Get("menu_order"))); err != nil {
		pg.MenuOrder = -1
	}
	if len(errs) > 0 {
		return m.renderPageForm(w, r, http.StatusUnprocessableEntity, pg, f, errs, false)
	}
	action, undo := m.desk.Apply(ed, &pg.Status, &pg.PublishAt, pg.ID == "")
	err = m.store.SavePage(r.Context(), pg, publishingweb.Author(r), action)
	if fields := guichet.FieldErrors(err); fields != nil {
		undo()
		return m.renderPageForm(w, r, http.StatusUnprocessableEntity, pg, f, fields, false)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "content.page_"+action, pg.Title)
	return publishingweb.SeeOther(w, r, "/gestion/pages/"+pg.ID+"?enregistre=1")
}

// pageStatus publishes now or unpublishes a page, as newsStatus does.
func (m *Module) pageStatus(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	status := r.PostFormValue("status")
	if status != content.StatusPublished && status != content.StatusUnpublished {
		return guichet.Errorf(guichet.EInvalid, "État inconnu.")
	}
	pg, err := m.store.SetPageStatus(r.Context(), t.ID, r.PathValue("id"), status, nil, publishingweb.Author(r))
	if err != nil {
		return err
	}
	m.s.Record(r, "content.page_"+status, pg.Title)
	return publishingweb.SeeOther(w, r, "/gestion/pages/"+pg.ID+"?enregistre=1")
}
