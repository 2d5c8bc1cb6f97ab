package publishingweb

import (
	"context"
	"html/template"
	"net/http"
	"time"

	"guichet"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
)

// History serves the pages where editors read an item's revisions and
// restore one (this module's templates admin_history and admin_revision).
// Module names the capability in the audit action
// <Module>.<kind>_restored.
type History struct {
	Server *web.Server
	Module string
	// List and Get read the capability's publishing.History.
	List func(ctx context.Context, tenantID, itemID string) ([]publishing.Revision, error)
	Get  func(ctx context.Context, tenantID, kind, itemID, id string) (*publishing.Revision, error)
	// Stamp writes a time for the request's reader.
	Stamp func(r *http.Request, t time.Time) string
}

// EditorKind is one kind of item whose history editors read and restore,
// each through its own store calls.
type EditorKind struct {
	Kind, Base string // "news", "/gestion/actualites"
	// Title returns the current title of an item of the collectivité.
	Title func(r *http.Request, tenantID, id string) (string, error)
	// Fields lists what a revision saved, for the editor to read.
	Fields func(r *http.Request, rev *publishing.Revision) ([]RevisionField, error)
	// Restore brings a revision back and returns the item's title.
	Restore func(r *http.Request, tenantID, id, revisionID string) (string, error)
}

// RevisionField is one saved field of a revision: text, or Markdown
// rendered and sanitised as visitors would read it.
type RevisionField struct {
	Name, Label, Text string
	HTML              template.HTML
}

// Fields collects a revision's fields, leaving out empty ones.
type Fields struct {
	// Label translates a field's label key.
	Label func(key string) string
	List  []RevisionField
}

// Text adds a field shown as text.
func (f *Fields) Text(name, labelKey, value string) {
	if value != "" {
		f.List = append(f.List, RevisionField{Name: name, Label: f.Label(labelKey), Text: value})
	}
}

// Markdown adds a field shown rendered.
func (f *Fields) Markdown(name, labelKey, value string) {
	if value != "" {
		f.List = append(f.List, RevisionField{Name: name, Label: f.Label(labelKey), HTML: publishing.HTML(value)})
	}
}

// Page lists an item's revisions, newest first.
func (h History) Page(k EditorKind) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		t := tenant.FromContext(r.Context())
		id := r.PathValue("id")
		title, err := k.Title(r, t.ID, id)
		if err != nil {
			return err
		}
		revs, err := h.List(r.Context(), t.ID, id)
		if err != nil {
			return err
		}
		type revView struct {
			publishing.Revision
			When, Label string
		}
		views := make([]revView, len(revs))
		for i, rv := range revs {
			views[i] = revView{rv, h.Stamp(r, rv.CreatedAt), h.Server.Render.T(web.LangOf(r), "publishing.action."+rv.Action)}
		}
		item := k.Base + "/" + id
		p := h.Server.Render.NewPage(r, "", map[string]any{"Revisions": views, "Back": item, "Item": item, "Name": title})
		p.Title = p.T("publishing.admin.history", title)
		h.Server.Render.Page(w, r, http.StatusOK, "publishing/admin_history", p)
		return nil
	}
}

// Revision shows what one revision saved, with the button that restores it.
func (h History) Revision(k EditorKind) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return h.renderRevision(w, r, k, http.StatusOK, nil)
	}
}

func (h History) renderRevision(w http.ResponseWriter, r *http.Request, k EditorKind, status int, errs map[string]string) error {
	t := tenant.FromContext(r.Context())
	id := r.PathValue("id")
	title, err := k.Title(r, t.ID, id)
	if err != nil {
		return err
	}
	rev, err := h.Get(r.Context(), t.ID, k.Kind, id, r.PathValue("rev"))
	if err != nil {
		return err
	}
	fields, err := k.Fields(r, rev)
	if err != nil {
		return err
	}
	item := k.Base + "/" + id
	p := h.Server.Render.NewPage(r, "", map[string]any{"Revision": rev, "Fields": fields, "Name": title,
		"When": h.Stamp(r, rev.CreatedAt), "Label": h.Server.Render.T(web.LangOf(r), "publishing.action."+rev.Action),
		"History": item + "/historique", "Restore": item + "/historique/" + rev.ID + "/restaurer"})
	p.Errors = errs
	p.Title = p.T("publishing.admin.revision", h.Stamp(r, rev.CreatedAt), title)
	h.Server.Render.Page(w, r, status, "publishing/admin_revision", p)
	return nil
}

// Restore makes a revision the item's text again, as a new revision; the
// item's publication does not change. A revision that today's rules refuse
// is shown again with the reasons.
func (h History) Restore(k EditorKind) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		t := tenant.FromContext(r.Context())
		id := r.PathValue("id")
		title, err := k.Restore(r, t.ID, id, r.PathValue("rev"))
		if fields := guichet.FieldErrors(err); fields != nil {
			return h.renderRevision(w, r, k, http.StatusUnprocessableEntity, fields)
		}
		if err != nil {
			return err
		}
		h.Server.Record(r, h.Module+"."+k.Kind+"_"+publishing.ActionRestored, title)
		http.Redirect(w, r, k.Base+"/"+id+"?restaure=1", http.StatusSeeOther)
		return nil
	}
}
