package contentweb

import (
	"net/http"
	"strconv"

	"guichet/internal/capability/content"
	"guichet/internal/publishing/publishingweb"
)

// editorKind is one kind of item whose history editors read and restore.
type editorKind = publishingweb.EditorKind

func (m *Module) newsKind() editorKind {
	return editorKind{Kind: content.KindNews, Base: "/gestion/actualites",
		Title: func(r *http.Request, tenantID, id string) (string, error) {
			n, err := m.store.NewsByID(r.Context(), tenantID, id)
			if err != nil {
				return "", err
			}
			return n.Title, nil
		},
		Fields: func(r *http.Request, rev *content.Revision) ([]publishingweb.RevisionField, error) {
			n, err := content.RevisedNews(rev)
			if err != nil {
				return nil, err
			}
			f := m.desk.Fields(r)
			f.Text("title", "content.form.title", n.Title)
			f.Text("category", "content.filter.category", m.s.Render.T(langOf(r), "content.cat."+n.Category))
			f.Text("summary", "content.form.summary", n.Summary)
			f.Markdown("body", "content.form.body", n.Body)
			f.Markdown("easy_read", "content.form.easy_read", n.EasyRead)
			f.Text("image_alt", "content.form.image_alt", n.ImageAlt)
			f.Text("title_en", "content.form.title_en", n.TitleEN)
			f.Markdown("body_en", "content.form.body_en", n.BodyEN)
			return f.List, nil
		},
		Restore: func(r *http.Request, tenantID, id, revisionID string) (string, error) {
			n, err := m.store.RestoreNews(r.Context(), tenantID, id, revisionID, publishingweb.Author(r))
			if err != nil {
				return "", err
			}
			return n.Title, nil
		},
	}
}

func (m *Module) eventKind() editorKind {
	return editorKind{Kind: content.KindEvent, Base: "/gestion/agenda",
		Title: func(r *http.Request, tenantID, id string) (string, error) {
			e, err := m.store.EventByID(r.Context(), tenantID, id)
			if err != nil {
				return "", err
			}
			return e.Title, nil
		},
		Fields: func(r *http.Request, rev *content.Revision) ([]publishingweb.RevisionField, error) {
			e, err := content.RevisedEvent(rev)
			if err != nil {
				return nil, err
			}
			lang := langOf(r)
			f := m.desk.Fields(r)
			f.Text("title", "content.form.title", e.Title)
			f.Text("category", "content.filter.category", m.s.Render.T(lang, "content.cat."+e.Category))
			f.Text("summary", "content.form.summary", e.Summary)
			f.Text("place", "content.event.where", e.Place)
			f.Text("address", "content.form.address", e.Address)
			d := m.dateView(r, e, content.Occurrence{Start: e.Start, End: e.End})
			f.Text("start_date", "content.event.when", d.Day+" "+d.Hours)
			if e.Recurrence != content.RepeatNone {
				f.Text("recurrence", "content.form.recurrence", m.s.Render.T(lang, "content.repeat."+e.Recurrence))
			}
			if e.Registration {
				f.Text("capacity", "content.form.capacity", strconv.Itoa(e.Capacity))
			}
			f.Markdown("body", "content.form.body", e.Body)
			f.Text("title_en", "content.form.title_en", e.TitleEN)
			f.Markdown("body_en", "content.form.body_en", e.BodyEN)
			return f.List, nil
		},
		Restore: func(r *http.Request, tenantID, id, revisionID string) (string, error) {
			e, err := m.store.RestoreEvent(r.Context(), tenantID, id, revisionID, m.loc(r), publishingweb.Author(r))
			if err != nil {
				return "", err
			}
			return e.Title, nil
		},
	}
}
