// Package publishingweb holds the web side that every capability's
// editors share: the publication part of an item's form (buttons, date
// and time of publication in the collectivité's time zone, preview) and
// the state lists show. Each capability renders its own pages and keeps
// its own words; these functions take them.
package publishingweb

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"guichet/internal/publishing"
)

// Buttons of an editor's form (its "action" field).
const (
	ButtonSave      = "save"
	ButtonPreview   = "preview"
	ButtonPublish   = "publish"
	ButtonDraft     = "draft"
	ButtonUnpublish = "unpublish"
)

// Edit is what an editor's form asks besides the item's own fields.
type Edit struct {
	Button string
	At     *time.Time // the publication date and time given, if any
}

// Preview reports whether the editor asked to see the text without saving.
func (e Edit) Preview() bool { return e.Button == ButtonPreview }

// DateErrors are the field errors of a wrong publication date or time,
// in the editor's language.
type DateErrors struct{ DateWithTime, BadDate, BadTime string }

// ReadEdit reads the button pressed and the publication date and time, in
// loc; a wrong date or time is a field error in errs.
func ReadEdit(f url.Values, loc *time.Location, errs map[string]string, words DateErrors) Edit {
	e := Edit{Button: f.Get("action")}
	day, clock := strings.TrimSpace(f.Get("publish_date")), strings.TrimSpace(f.Get("publish_time"))
	d, err := time.Parse("2006-01-02", day)
	switch {
	case day == "" && clock != "":
		errs["publish_date"] = words.DateWithTime
	case day != "" && err != nil:
		errs["publish_date"] = words.BadDate
	}
	c, cerr := time.Parse("15:04", clock)
	if clock != "" && cerr != nil {
		errs["publish_time"] = words.BadTime
	}
	if day == "" || err != nil || (clock != "" && cerr != nil) {
		return e
	}
	at := time.Date(d.Year(), d.Month(), d.Day(), c.Hour(), c.Minute(), 0, 0, loc)
	e.At = &at
	return e
}

// Apply sets an item's status and date for the button pressed and names
// the change for the item's history; undo puts them back when the save is
// refused, so that the form shows the item's real state.
func Apply(e Edit, status *string, publishAt **time.Time, creating bool, now time.Time) (action string, undo func()) {
	oldStatus, oldAt := *status, *publishAt
	undo = func() { *status, *publishAt = oldStatus, oldAt }
	change := publishing.ChangeKeep
	switch e.Button {
	case ButtonPublish:
		change = publishing.ChangePublish
	case ButtonDraft:
		change = publishing.ChangeDraft
	case ButtonUnpublish:
		change = publishing.ChangeUnpublish
	}
	pub, action := publishing.Publication{Status: *status, PublishAt: *publishAt}.Change(change, e.At, now)
	*status, *publishAt = pub.Status, pub.PublishAt
	if creating && action == "edited" {
		action = "created"
	}
	return action, undo
}

// PublicationValues fills the publication fields of an item's form: the
// date of a published or scheduled item, in loc. Other items have none,
// so that publishing them means now.
func PublicationValues(v url.Values, pub publishing.Publication, loc *time.Location) url.Values {
	if pub.Status == publishing.StatusPublished && pub.PublishAt != nil {
		l := pub.PublishAt.In(loc)
		v.Set("publish_date", l.Format("2006-01-02"))
		v.Set("publish_time", l.Format("15:04"))
	}
	return v
}

// EditorData is what every editor's page shows beside its fields: the
// item's state and publication time (written by stamp), a confirmation
// after a save or a restore, and the text rendered after "preview".
func EditorData(r *http.Request, pub publishing.Publication, form url.Values, preview bool, now time.Time,
	stamp func(time.Time) string) map[string]any {
	data := map[string]any{"State": pub.State(now), "Saved": r.URL.Query().Get("enregistre") == "1",
		"Restored": r.URL.Query().Get("restaure") == "1"}
	if pub.Status == publishing.StatusPublished && pub.PublishAt != nil {
		data["PublishAt"] = stamp(*pub.PublishAt)
	}
	if preview {
		data["Preview"] = PreviewOf(form.Get("title"), form.Get("summary"), form.Get("body"))
	}
	return data
}

// Preview is an item's text as visitors would read it, sanitised like the
// public pages.
type Preview struct {
	Title, Summary string
	Body           template.HTML
}

// PreviewOf renders an item's text for its preview.
func PreviewOf(title, summary, body string) *Preview {
	return &Preview{Title: strings.TrimSpace(title), Summary: strings.TrimSpace(summary), Body: publishing.HTML(body)}
}

// State names an item's publication for editors' lists.
func State(status string, at *time.Time, now time.Time) string {
	return publishing.Publication{Status: status, PublishAt: at}.State(now)
}

// LocalTime reads the date field and the optional time field clock of f,
// in loc: nothing and true when no date is given, false when it is wrong.
func LocalTime(f url.Values, date, clock string, loc *time.Location) (*time.Time, bool) {
	d := strings.TrimSpace(f.Get(date))
	if d == "" {
		return nil, true
	}
	c := strings.TrimSpace(f.Get(clock))
	if c == "" {
		c = "00:00"
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", d+" "+c, loc)
	if err != nil {
		return nil, false
	}
	return &t, true
}
