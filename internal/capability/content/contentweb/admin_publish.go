package contentweb

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"guichet/internal/capability/content"
	"guichet/internal/publishing"
)

// The editors of news, events and pages share their publication: the
// buttons of the form, the date and time of publication in the
// collectivité's time zone, the preview, and the state they show.

// Buttons of an editor's form (its "action" field).
const (
	buttonSave      = "save"
	buttonPreview   = "preview"
	buttonPublish   = "publish"
	buttonDraft     = "draft"
	buttonUnpublish = "unpublish"
)

// edit is what an editor's form asks besides the item's own fields.
type edit struct {
	button string
	at     *time.Time // the publication date and time given, if any
}

// preview reports whether the editor asked to see the text without saving.
func (e edit) preview() bool { return e.button == buttonPreview }

// readEdit reads the button pressed and the publication date and time, in
// the collectivité's time zone; a wrong date or time is a field error.
func (m *Module) readEdit(r *http.Request, f url.Values, errs map[string]string) edit {
	e := edit{button: f.Get("action")}
	day, clock := strings.TrimSpace(f.Get("publish_date")), strings.TrimSpace(f.Get("publish_time"))
	lang := langOf(r)
	d, err := time.Parse("2006-01-02", day)
	switch {
	case day == "" && clock != "":
		errs["publish_date"] = m.s.Render.T(lang, "content.admin.date_with_time")
	case day != "" && err != nil:
		errs["publish_date"] = m.s.Render.T(lang, "content.admin.bad_date")
	}
	c, cerr := time.Parse("15:04", clock)
	if clock != "" && cerr != nil {
		errs["publish_time"] = m.s.Render.T(lang, "content.admin.bad_time")
	}
	if day == "" || err != nil || (clock != "" && cerr != nil) {
		return e
	}
	at := time.Date(d.Year(), d.Month(), d.Day(), c.Hour(), c.Minute(), 0, 0, m.loc(r))
	e.at = &at
	return e
}

// apply sets an item's status and date for the button pressed and names
// the change for the item's history; undo puts them back when the save is
// refused, so that the form shows the item's real state.
func (m *Module) apply(e edit, status *string, publishAt **time.Time, creating bool) (action string, undo func()) {
	oldStatus, oldAt := *status, *publishAt
	undo = func() { *status, *publishAt = oldStatus, oldAt }
	change := publishing.ChangeKeep
	switch e.button {
	case buttonPublish:
		change = publishing.ChangePublish
	case buttonDraft:
		change = publishing.ChangeDraft
	case buttonUnpublish:
		change = publishing.ChangeUnpublish
	}
	pub, action := publishing.Publication{Status: *status, PublishAt: *publishAt}.Change(change, e.at, m.store.Now())
	*status, *publishAt = pub.Status, pub.PublishAt
	if creating && action == "edited" {
		action = "created"
	}
	return action, undo
}

// publicationValues fills the publication fields of an item's form: the
// date of a published or scheduled item, in the collectivité's time zone.
// Other items have none, so that publishing them means now.
func publicationValues(v url.Values, pub publishing.Publication, loc *time.Location) url.Values {
	if pub.Status == content.StatusPublished && pub.PublishAt != nil {
		l := pub.PublishAt.In(loc)
		v.Set("publish_date", l.Format("2006-01-02"))
		v.Set("publish_time", l.Format("15:04"))
	}
	return v
}

// editorData is what every editor's page shows beside its fields: the
// item's state and publication time in the collectivité's time zone, a
// confirmation after a save, and the text rendered after "preview".
func (m *Module) editorData(r *http.Request, pub publishing.Publication, form url.Values, preview bool) map[string]any {
	data := map[string]any{"State": pub.State(m.store.Now()), "Saved": r.URL.Query().Get("enregistre") == "1",
		"Restored": r.URL.Query().Get("restaure") == "1"}
	if pub.Status == content.StatusPublished && pub.PublishAt != nil {
		data["PublishAt"] = m.stamp(r, *pub.PublishAt)
	}
	if preview {
		data["Preview"] = previewOf(form.Get("title"), form.Get("summary"), form.Get("body"))
	}
	return data
}

// preview is an item's text as visitors would read it, sanitised like the
// public pages.
type preview struct {
	Title, Summary string
	Body           template.HTML
}

func previewOf(title, summary, body string) *preview {
	return &preview{Title: strings.TrimSpace(title), Summary: strings.TrimSpace(summary), Body: publishing.HTML(body)}
}

// state names an item's publication for editors' lists.
func (m *Module) state(status string, at *time.Time) string {
	return publishing.Publication{Status: status, PublishAt: at}.State(m.store.Now())
}
