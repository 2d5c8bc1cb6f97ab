package pagesweb

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/capability/pages"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
)

// adminList lists the practical pages in menu order.
func (m *Module) adminList(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	pages, err := m.store.All(r.Context(), t.ID)
	if err != nil {
		return err
	}
	rows := make([]publishingweb.Row, len(pages))
	for i, pg := range pages {
		rows[i] = publishingweb.Row{ID: pg.ID, Title: pg.Title, Status: m.desk.State(pg.Status, pg.PublishAt), Category: strconv.Itoa(pg.MenuOrder),
			Updated: publishingweb.Stamp(r, pg.UpdatedAt), URL: pg.URL()}
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Rows": rows})
	p.Title = p.T("pages.admin.pages")
	m.s.Render.Page(w, r, http.StatusOK, "pages/admin_pages", p)
	return nil
}

func (m *Module) form(w http.ResponseWriter, r *http.Request) error {
	pg := &pages.Page{}
	if id := r.PathValue("id"); id != "" {
		var err error
		if pg, err = m.store.ByID(r.Context(), tenant.FromContext(r.Context()).ID, id); err != nil {
			return err
		}
	}
	v := url.Values{"title": {pg.Title}, "summary": {pg.Summary}, "body": {pg.Body}, "easy_read": {pg.EasyRead}, "title_en": {pg.TitleEN},
		"body_en": {pg.BodyEN}, "menu_order": {strconv.Itoa(pg.MenuOrder)}}
	return m.renderForm(w, r, http.StatusOK, pg, m.desk.Values(r, v, pg.Publication()), nil, false)
}

func (m *Module) renderForm(w http.ResponseWriter, r *http.Request, status int, pg *pages.Page, form url.Values,
	errs map[string]string, preview bool) error {
	data := m.desk.EditorData(r, pg.Publication(), form, preview)
	data["Item"] = pg
	p := m.s.Render.NewPage(r, "", data)
	p.Errors, p.Form = errs, form
	p.Title = p.T("pages.admin.new_page")
	if pg.ID != "" {
		p.Title = p.T("publishing.admin.edit", pg.Title)
	}
	m.s.Render.Page(w, r, status, "pages/admin_page_form", p)
	return nil
}

// save saves a page as every editor does: "save" keeps its state, "publish"
// publishes now or at the date given, "unpublish" takes it down, "preview"
// shows the text without saving.
func (m *Module) save(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	pg := &pages.Page{TenantID: t.ID}
	if id := r.PathValue("id"); id != "" {
		var err error
		if pg, err = m.store.ByID(r.Context(), t.ID, id); err != nil {
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
		return m.renderForm(w, r, http.StatusOK, pg, f, errs, true)
	}
	pg.Title, pg.Summary, pg.Body, pg.EasyRead = f.Get("title"), f.Get("summary"), f.Get("body"), f.Get("easy_read")
	pg.TitleEN, pg.BodyEN = f.Get("title_en"), f.Get("body_en")
	var err error
	if pg.MenuOrder, err = strconv.Atoi(strings.TrimSpace(f.Get("menu_order"))); err != nil {
		pg.MenuOrder = -1
	}
	if len(errs) > 0 {
		return m.renderForm(w, r, http.StatusUnprocessableEntity, pg, f, errs, false)
	}
	action, undo := m.desk.Apply(ed, &pg.Status, &pg.PublishAt, pg.ID == "")
	err = m.store.Save(r.Context(), pg, publishingweb.Author(r), action)
	if fields := guichet.FieldErrors(err); fields != nil {
		undo()
		return m.renderForm(w, r, http.StatusUnprocessableEntity, pg, f, fields, false)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "pages.page_"+action, pg.Title)
	return publishingweb.SeeOther(w, r, "/gestion/pages/"+pg.ID+"?enregistre=1")
}

// status publishes now or unpublishes a page.
func (m *Module) status(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	status := r.PostFormValue("status")
	if status != publishing.StatusPublished && status != publishing.StatusUnpublished {
		return guichet.Errorf(guichet.EInvalid, "État inconnu.")
	}
	pg, err := m.store.SetStatus(r.Context(), t.ID, r.PathValue("id"), status, nil, publishingweb.Author(r))
	if err != nil {
		return err
	}
	m.s.Record(r, "pages.page_"+status, pg.Title)
	return publishingweb.SeeOther(w, r, "/gestion/pages/"+pg.ID+"?enregistre=1")
}

// kind is what the revision pages need of pages.
func (m *Module) kind() publishingweb.EditorKind {
	return publishingweb.EditorKind{Kind: pages.Kind, Base: "/gestion/pages",
		Title: func(r *http.Request, tenantID, id string) (string, error) {
			pg, err := m.store.ByID(r.Context(), tenantID, id)
			if err != nil {
				return "", err
			}
			return pg.Title, nil
		},
		Fields: func(r *http.Request, rev *publishing.Revision) ([]publishingweb.RevisionField, error) {
			pg, err := pages.Revised(rev)
			if err != nil {
				return nil, err
			}
			f := m.desk.Fields(r)
			f.Text("title", "publishing.form.title", pg.Title)
			f.Text("summary", "publishing.form.summary", pg.Summary)
			f.Text("menu_order", "pages.form.menu_order", strconv.Itoa(pg.MenuOrder))
			f.Markdown("body", "publishing.form.body", pg.Body)
			f.Markdown("easy_read", "pages.form.easy_read", pg.EasyRead)
			f.Text("title_en", "publishing.form.title_en", pg.TitleEN)
			f.Markdown("body_en", "publishing.form.body_en", pg.BodyEN)
			return f.List, nil
		},
		Restore: func(r *http.Request, tenantID, id, revisionID string) (string, error) {
			pg, err := m.store.Restore(r.Context(), tenantID, id, revisionID, publishingweb.Author(r))
			if err != nil {
				return "", err
			}
			return pg.Title, nil
		},
	}
}
