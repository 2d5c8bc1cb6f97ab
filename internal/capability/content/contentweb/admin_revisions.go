package contentweb

import (
	"html/template"
	"net/http"
	"strconv"

	"guichet"
	"guichet/internal/capability/content"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
)

// editorKind is one kind of item whose history editors read and restore:
// news, events and pages share these pages, each through its own store
// calls.
type editorKind struct {
	kind, base string // content.KindNews, "/gestion/actualites"
	// title returns the current title of an item of the collectivité.
	title func(r *http.Request, tenantID, id string) (string, error)
	// fields lists what a revision saved, for the editor to read.
	fields func(r *http.Request, rev *content.Revision) ([]revisionField, error)
	// restore brings a revision back and returns the item's title.
	restore func(r *http.Request, tenantID, id, revisionID string) (string, error)
}

// revisionField is one saved field of a revision: text, or Markdown
// rendered and sanitised as visitors would read it.
type revisionField struct {
	Name, Label, Text string
	HTML              template.HTML
}

func (m *Module) newsKind() editorKind {
	return editorKind{kind: content.KindNews, base: "/gestion/actualites",
		title: func(r *http.Request, tenantID, id string) (string, error) {
			n, err := m.store.NewsByID(r.Context(), tenantID, id)
			if err != nil {
				return "", err
			}
			return n.Title, nil
		},
		fields: func(r *http.Request, rev *content.Revision) ([]revisionField, error) {
			n, err := content.RevisedNews(rev)
			if err != nil {
				return nil, err
			}
			f := m.fieldList(r)
			f.text("title", "content.form.title", n.Title)
			f.text("category", "content.filter.category", m.s.Render.T(langOf(r), "content.cat."+n.Category))
			f.text("summary", "content.form.summary", n.Summary)
			f.markdown("body", "content.form.body", n.Body)
			f.markdown("easy_read", "content.form.easy_read", n.EasyRead)
			f.text("image_alt", "content.form.image_alt", n.ImageAlt)
			f.text("title_en", "content.form.title_en", n.TitleEN)
			f.markdown("body_en", "content.form.body_en", n.BodyEN)
			return f.list, nil
		},
		restore: func(r *http.Request, tenantID, id, revisionID string) (string, error) {
			n, err := m.store.RestoreNews(r.Context(), tenantID, id, revisionID, author(r))
			if err != nil {
				return "", err
			}
			return n.Title, nil
		},
	}
}

func (m *Module) eventKind() editorKind {
	return editorKind{kind: content.KindEvent, base: "/gestion/agenda",
		title: func(r *http.Request, tenantID, id string) (string, error) {
			e, err := m.store.EventByID(r.Context(), tenantID, id)
			if err != nil {
				return "", err
			}
			return e.Title, nil
		},
		fields: func(r *http.Request, rev *content.Revision) ([]revisionField, error) {
			e, err := content.RevisedEvent(rev)
			if err != nil {
				return nil, err
			}
			lang := langOf(r)
			f := m.fieldList(r)
			f.text("title", "content.form.title", e.Title)
			f.text("category", "content.filter.category", m.s.Render.T(lang, "content.cat."+e.Category))
			f.text("summary", "content.form.summary", e.Summary)
			f.text("place", "content.event.where", e.Place)
			f.text("address", "content.form.address", e.Address)
			d := m.dateView(r, e, content.Occurrence{Start: e.Start, End: e.End})
			f.text("start_date", "content.event.when", d.Day+" "+d.Hours)
			if e.Recurrence != content.RepeatNone {
				f.text("recurrence", "content.form.recurrence", m.s.Render.T(lang, "content.repeat."+e.Recurrence))
			}
			if e.Registration {
				f.text("capacity", "content.form.capacity", strconv.Itoa(e.Capacity))
			}
			f.markdown("body", "content.form.body", e.Body)
			f.text("title_en", "content.form.title_en", e.TitleEN)
			f.markdown("body_en", "content.form.body_en", e.BodyEN)
			return f.list, nil
		},
		restore: func(r *http.Request, tenantID, id, revisionID string) (string, error) {
			e, err := m.store.RestoreEvent(r.Context(), tenantID, id, revisionID, m.loc(r), author(r))
			if err != nil {
				return "", err
			}
			return e.Title, nil
		},
	}
}

func (m *Module) pageKind() editorKind {
	return editorKind{kind: content.KindPage, base: "/gestion/pages",
		title: func(r *http.Request, tenantID, id string) (string, error) {
			pg, err := m.store.PageByID(r.Context(), tenantID, id)
			if err != nil {
				return "", err
			}
			return pg.Title, nil
		},
		fields: func(r *http.Request, rev *content.Revision) ([]revisionField, error) {
			pg, err := content.RevisedPage(rev)
			if err != nil {
				return nil, err
			}
			f := m.fieldList(r)
			f.text("title", "content.form.title", pg.Title)
			f.text("summary", "content.form.summary", pg.Summary)
			f.text("menu_order", "content.form.menu_order", strconv.Itoa(pg.MenuOrder))
			f.markdown("body", "content.form.body", pg.Body)
			f.text("title_en", "content.form.title_en", pg.TitleEN)
			f.markdown("body_en", "content.form.body_en", pg.BodyEN)
			return f.list, nil
		},
		restore: func(r *http.Request, tenantID, id, revisionID string) (string, error) {
			pg, err := m.store.RestorePage(r.Context(), tenantID, id, revisionID, author(r))
			if err != nil {
				return "", err
			}
			return pg.Title, nil
		},
	}
}

// fieldList collects a revision's fields, leaving out empty ones.
type fieldList struct {
	lang string
	m    *Module
	list []revisionField
}

func (m *Module) fieldList(r *http.Request) *fieldList { return &fieldList{lang: langOf(r), m: m} }

func (f *fieldList) text(name, labelKey, value string) {
	if value != "" {
		f.list = append(f.list, revisionField{Name: name, Label: f.m.s.Render.T(f.lang, labelKey), Text: value})
	}
}

func (f *fieldList) markdown(name, labelKey, value string) {
	if value != "" {
		f.list = append(f.list, revisionField{Name: name, Label: f.m.s.Render.T(f.lang, labelKey), HTML: publishing.HTML(value)})
	}
}

// history lists an item's revisions, newest first.
func (m *Module) history(k editorKind) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		t := tenant.FromContext(r.Context())
		id := r.PathValue("id")
		title, err := k.title(r, t.ID, id)
		if err != nil {
			return err
		}
		revs, err := m.store.Revisions(r.Context(), t.ID, id)
		if err != nil {
			return err
		}
		type revView struct {
			content.Revision
			When, Label string
		}
		views := make([]revView, len(revs))
		for i, rv := range revs {
			views[i] = revView{rv, m.stamp(r, rv.CreatedAt), m.s.Render.T(langOf(r), "content.action."+rv.Action)}
		}
		item := k.base + "/" + id
		p := m.s.Render.NewPage(r, "", map[string]any{"Revisions": views, "Back": item, "Item": item, "Name": title})
		p.Title = p.T("content.admin.history", title)
		m.s.Render.Page(w, r, http.StatusOK, "content/admin_history", p)
		return nil
	}
}

// revision shows what one revision saved, with the button that restores it.
func (m *Module) revision(k editorKind) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return m.renderRevision(w, r, k, http.StatusOK, nil)
	}
}

func (m *Module) renderRevision(w http.ResponseWriter, r *http.Request, k editorKind, status int, errs map[string]string) error {
	t := tenant.FromContext(r.Context())
	id := r.PathValue("id")
	title, err := k.title(r, t.ID, id)
	if err != nil {
		return err
	}
	rev, err := m.store.Revision(r.Context(), t.ID, k.kind, id, r.PathValue("rev"))
	if err != nil {
		return err
	}
	fields, err := k.fields(r, rev)
	if err != nil {
		return err
	}
	item := k.base + "/" + id
	p := m.s.Render.NewPage(r, "", map[string]any{"Revision": rev, "Fields": fields, "Name": title,
		"When": m.stamp(r, rev.CreatedAt), "Label": m.s.Render.T(langOf(r), "content.action."+rev.Action),
		"History": item + "/historique", "Restore": item + "/historique/" + rev.ID + "/restaurer"})
	p.Errors = errs
	p.Title = p.T("content.admin.revision", m.stamp(r, rev.CreatedAt), title)
	m.s.Render.Page(w, r, status, "content/admin_revision", p)
	return nil
}

// restore makes a revision the item's text again, as a new revision; the
// item's publication does not change. A revision that today's rules refuse
// is shown again with the reasons.
func (m *Module) restore(k editorKind) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		t := tenant.FromContext(r.Context())
		id := r.PathValue("id")
		title, err := k.restore(r, t.ID, id, r.PathValue("rev"))
		if fields := guichet.FieldErrors(err); fields != nil {
			return m.renderRevision(w, r, k, http.StatusUnprocessableEntity, fields)
		}
		if err != nil {
			return err
		}
		m.s.Record(r, "content."+k.kind+"_"+content.ActionRestored, title)
		return seeOther(w, r, k.base+"/"+id+"?restaure=1")
	}
}
