package contentweb

import (
	"net/http"

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
