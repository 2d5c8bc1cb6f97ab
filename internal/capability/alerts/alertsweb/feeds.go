package alertsweb

import (
	"guichet/internal/capability/alerts"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
	"net/http"
	"time"
)

// feedSize is how many alerts the feed holds.
const feedSize = 50

// feed is the Atom feed of alerts, newest first.
func (m *Module) feed(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	list, _, err := m.store.Recent(r.Context(), t.ID, publishing.Cursor{}, feedSize)
	if err != nil {
		return err
	}
	base := m.baseURL(r)
	f := &publishingweb.AtomFeed{Lang: "fr", ID: base + "/alertes", Title: t.Name + " – " + m.s.Render.T("fr", "alerts.title"),
		Author: publishingweb.AtomPerson{Name: t.Name}, Updated: publishingweb.RFC3339(t.UpdatedAt),
		Links: []publishingweb.AtomLink{{Rel: "self", Type: "application/atom+xml", Href: base + "/alertes/flux.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/alertes"}}}
	for i, a := range list {
		if i == 0 {
			f.Updated = publishingweb.RFC3339(a.UpdatedAt)
		}
		body := a.Body
		if body == "" {
			body = a.Title
		}
		f.Entries = append(f.Entries, publishingweb.AtomEntry{ID: "urn:uuid:" + a.ID, Title: m.s.Render.T("fr", "alerts.alert.label_"+a.Severity) + " : " + a.Title,
			Updated: publishingweb.RFC3339(a.UpdatedAt), Published: publishingweb.RFC3339(a.Start),
			Link:     publishingweb.AtomLink{Rel: "alternate", Type: "text/html", Href: base + "/alertes#alerte-" + a.ID},
			Category: &publishingweb.AtomCategory{Term: a.Topic, Label: m.s.Render.T("fr", "alerts.topic."+a.Topic)},
			Content:  &publishingweb.AtomText{Type: "text", Body: body}})
	}
	return publishingweb.WriteAtom(w, f)
}

// apiAlert is an alert in the JSON API.
type apiAlert struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Body     string    `json:"body"`
	Severity string    `json:"severity"`
	Topic    string    `json:"topic"`
	Area     string    `json:"area"`
	Start    time.Time `json:"start"`
	Expires  time.Time `json:"expires"`
	Active   bool      `json:"active"`
}

// api lists the active alerts, or with ?all=1 the recent ones.
func (m *Module) api(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	var list []*alerts.Alert
	var err error
	if r.URL.Query().Get("all") == "1" {
		list, _, err = m.store.Recent(r.Context(), t.ID, publishing.Cursor{}, 50)
	} else {
		list, err = m.activeAlerts(r, t)
	}
	if err != nil {
		return err
	}
	now := m.store.Now()
	items := make([]apiAlert, len(list))
	for i, a := range list {
		items[i] = apiAlert{ID: a.ID, Title: a.Title, Body: a.Body, Severity: a.Severity, Topic: a.Topic, Area: a.Area,
			Start: a.Start, Expires: a.Expires, Active: a.Active(now)}
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}
