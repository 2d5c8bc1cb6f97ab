package newsweb

import (
	"net/http"

	"guichet/internal/capability/news"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
)

// editorKind is one kind of item whose history editors read and restore.
type editorKind = publishingweb.EditorKind

func (m *Module) newsKind() editorKind {
	return editorKind{Kind: news.Kind, Base: "/gestion/actualites",
		Title: func(r *http.Request, tenantID, id string) (string, error) {
			n, err := m.store.ByID(r.Context(), tenantID, id)
			if err != nil {
				return "", err
			}
			return n.Title, nil
		},
		Fields: func(r *http.Request, rev *publishing.Revision) ([]publishingweb.RevisionField, error) {
			n, err := news.Revised(rev)
			if err != nil {
				return nil, err
			}
			f := m.desk.Fields(r)
			f.Text("title", "publishing.form.title", n.Title)
			f.Text("category", "publishing.filter.category", m.s.Render.T(web.LangOf(r), "publishing.cat."+n.Category))
			f.Text("summary", "publishing.form.summary", n.Summary)
			f.Markdown("body", "publishing.form.body", n.Body)
			f.Markdown("easy_read", "news.form.easy_read", n.EasyRead)
			f.Text("image_alt", "news.form.image_alt", n.ImageAlt)
			f.Text("title_en", "publishing.form.title_en", n.TitleEN)
			f.Markdown("body_en", "publishing.form.body_en", n.BodyEN)
			return f.List, nil
		},
		Restore: func(r *http.Request, tenantID, id, revisionID string) (string, error) {
			n, err := m.store.Restore(r.Context(), tenantID, id, revisionID, publishingweb.Author(r))
			if err != nil {
				return "", err
			}
			return n.Title, nil
		},
	}
}
