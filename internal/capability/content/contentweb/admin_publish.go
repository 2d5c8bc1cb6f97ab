package contentweb

import (
	"net/http"
	"net/url"
	"time"

	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
)

// The editors of news, events and pages share their publication:
// publishingweb's form, in the collectivité's time zone and on the
// store's clock, with local information's words.

// readEdit reads the button pressed and the publication date and time, in
// the collectivité's time zone; a wrong date or time is a field error.
func (m *Module) readEdit(r *http.Request, f url.Values, errs map[string]string) publishingweb.Edit {
	lang := langOf(r)
	return publishingweb.ReadEdit(f, m.loc(r), errs, publishingweb.DateErrors{
		DateWithTime: m.s.Render.T(lang, "content.admin.date_with_time"),
		BadDate:      m.s.Render.T(lang, "content.admin.bad_date"),
		BadTime:      m.s.Render.T(lang, "content.admin.bad_time")})
}

// apply sets an item's status and date for the button pressed; see
// publishingweb.Apply.
func (m *Module) apply(e publishingweb.Edit, status *string, publishAt **time.Time, creating bool) (action string, undo func()) {
	return publishingweb.Apply(e, status, publishAt, creating, m.store.Now())
}

// publicationValues fills the publication fields of an item's form.
func publicationValues(v url.Values, pub publishing.Publication, loc *time.Location) url.Values {
	return publishingweb.PublicationValues(v, pub, loc)
}

// editorData is what every editor's page shows beside its fields.
func (m *Module) editorData(r *http.Request, pub publishing.Publication, form url.Values, preview bool) map[string]any {
	return publishingweb.EditorData(r, pub, form, preview, m.store.Now(), func(t time.Time) string { return m.stamp(r, t) })
}

// state names an item's publication for editors' lists.
func (m *Module) state(status string, at *time.Time) string {
	return publishingweb.State(status, at, m.store.Now())
}
