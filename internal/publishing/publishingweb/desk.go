package publishingweb

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
)

// Desk is what the editors' pages of every capability that publishes
// share, on the server and the store's clock: the publication part of
// the form, the state lists show, times in the collectivité's zone and
// language, and the pages of revisions. Module names the capability in
// the audit.
type Desk struct {
	Server *web.Server
	Now    func() time.Time
	Module string
}

// Option is a choice of a select or radio list.
type Option struct{ Value, Label string }

// Row is one line of an editors' list of items (the partial
// "publishing-admin-table").
type Row struct {
	ID, Title, Status, Category, Updated, URL string
}

// Stamp writes t as a date and hour of the request's collectivité and language.
func Stamp(r *http.Request, t time.Time) string {
	l := t.In(tenant.FromContext(r.Context()).Location())
	return guichet.Date(l, web.LangOf(r)) + " " + l.Format("15:04")
}

// Author names the signed-in staff member in revisions and answers.
func Author(r *http.Request) string {
	id := account.FromContext(r.Context())
	if id == nil {
		return ""
	}
	if id.Name != "" {
		return id.Name
	}
	return id.Email
}

// SeeOther sends the browser to path after a form.
func SeeOther(w http.ResponseWriter, r *http.Request, path string) error {
	http.Redirect(w, r, path, http.StatusSeeOther)
	return nil
}

// T translates key in the request's language.
func (d Desk) T(r *http.Request, key string, args ...any) string {
	return d.Server.Render.T(web.LangOf(r), key, args...)
}

// ReadEdit reads the button pressed and the publication date and time, in
// the collectivité's time zone; a wrong date or time is a field error.
func (d Desk) ReadEdit(r *http.Request, f url.Values, errs map[string]string) Edit {
	return ReadEdit(f, tenant.FromContext(r.Context()).Location(), errs, DateErrors{
		DateWithTime: d.T(r, "publishing.admin.date_with_time"),
		BadDate:      d.T(r, "publishing.admin.bad_date"),
		BadTime:      d.T(r, "publishing.admin.bad_time")})
}

// Apply sets an item's status and date for the button pressed; see Apply.
func (d Desk) Apply(e Edit, status *string, publishAt **time.Time, creating bool) (action string, undo func()) {
	return Apply(e, status, publishAt, creating, d.Now())
}

// Values fills the publication fields of an item's form.
func (d Desk) Values(r *http.Request, v url.Values, pub publishing.Publication) url.Values {
	return PublicationValues(v, pub, tenant.FromContext(r.Context()).Location())
}

// EditorData is what every editor's page shows beside its fields.
func (d Desk) EditorData(r *http.Request, pub publishing.Publication, form url.Values, preview bool) map[string]any {
	return EditorData(r, pub, form, preview, d.Now(), func(t time.Time) string { return Stamp(r, t) })
}

// State names an item's publication for editors' lists.
func (d Desk) State(status string, at *time.Time) string { return State(status, at, d.Now()) }

// StatusOptions are the status filters of editors' lists.
func (d Desk) StatusOptions(r *http.Request) []Option {
	var out []Option
	for _, s := range []string{publishing.StatusDraft, publishing.StateScheduled, publishing.StatusPublished, publishing.StatusUnpublished} {
		out = append(out, Option{s, d.T(r, "publishing.status."+s)})
	}
	return out
}

// CategoryOptions are values, labelled by their messages "publishing.cat.<value>".
func (d Desk) CategoryOptions(r *http.Request, values []string) []Option {
	out := make([]Option, len(values))
	for i, v := range values {
		out[i] = Option{v, d.T(r, "publishing.cat."+v)}
	}
	return out
}

// History returns the revision pages, which read with list and get (a
// store's Revisions and Revision).
func (d Desk) History(list func(ctx context.Context, tenantID, itemID string) ([]publishing.Revision, error),
	get func(ctx context.Context, tenantID, kind, itemID, id string) (*publishing.Revision, error)) History {
	return History{Server: d.Server, Module: d.Module, List: list, Get: get, Stamp: Stamp}
}

// Fields collects a revision's fields in the request's language.
func (d Desk) Fields(r *http.Request) *Fields {
	lang := web.LangOf(r)
	return &Fields{Label: func(key string) string { return d.Server.Render.T(lang, key) }}
}
