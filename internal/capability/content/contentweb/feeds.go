package contentweb

import (
	"encoding/xml"
	"net/http"
	"slices"
	"strings"
	"time"

	"guichet/internal/capability/content"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
)

// feedSize is how many entries a feed holds.
const feedSize = 50

// Atom (RFC 4287) documents.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	ID        string        `xml:"id"`
	Title     string        `xml:"title"`
	Updated   string        `xml:"updated"`
	Published string        `xml:"published,omitempty"`
	Link      atomLink      `xml:"link"`
	Category  *atomCategory `xml:"category,omitempty"`
	Summary   *atomText     `xml:"summary,omitempty"`
	Content   *atomText     `xml:"content,omitempty"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (m *Module) writeAtom(w http.ResponseWriter, f *atomFeed) error {
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	if _, err := w.Write([]byte(xml.Header)); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	return enc.Encode(f)
}

// newsFeed is the Atom feed of the latest news.
func (m *Module) newsFeed(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	list, _, err := m.store.ListPublicNews(r.Context(), t.ID, content.NewsFilter{Limit: feedSize})
	if err != nil {
		return err
	}
	base := m.baseURL(r)
	f := &atomFeed{Lang: "fr", ID: base + "/actualites", Title: t.Name + " – " + m.s.Render.T("fr", "content.news.title"),
		Author: atomPerson{t.Name}, Updated: rfc3339(t.UpdatedAt),
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: base + "/actualites/flux.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/actualites"}}}
	for i, n := range list {
		if i == 0 || n.UpdatedAt.After(parseRFC(f.Updated)) {
			f.Updated = rfc3339(maxTime(n.UpdatedAt, *n.PublishAt))
		}
		e := atomEntry{ID: "urn:uuid:" + n.ID, Title: n.Title, Updated: rfc3339(maxTime(n.UpdatedAt, *n.PublishAt)),
			Published: rfc3339(*n.PublishAt), Link: atomLink{Rel: "alternate", Type: "text/html", Href: base + n.URL()},
			Category: &atomCategory{Term: n.Category, Label: m.s.Render.T("fr", "content.cat."+n.Category)},
			Content:  &atomText{Type: "html", Body: string(publishing.HTML(n.Body))}}
		if n.Summary != "" {
			e.Summary = &atomText{Type: "text", Body: n.Summary}
		}
		f.Entries = append(f.Entries, e)
	}
	return m.writeAtom(w, f)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func parseRFC(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }

// alertsFeed is the Atom feed of alerts, newest first.
func (m *Module) alertsFeed(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	list, _, err := m.store.RecentAlerts(r.Context(), t.ID, content.Cursor{}, feedSize)
	if err != nil {
		return err
	}
	base := m.baseURL(r)
	f := &atomFeed{Lang: "fr", ID: base + "/alertes", Title: t.Name + " – " + m.s.Render.T("fr", "content.alerts.title"),
		Author: atomPerson{t.Name}, Updated: rfc3339(t.UpdatedAt),
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: base + "/alertes/flux.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/alertes"}}}
	for i, a := range list {
		if i == 0 {
			f.Updated = rfc3339(a.UpdatedAt)
		}
		body := a.Body
		if body == "" {
			body = a.Title
		}
		f.Entries = append(f.Entries, atomEntry{ID: "urn:uuid:" + a.ID, Title: m.s.Render.T("fr", "content.alert.label_"+a.Severity) + " : " + a.Title,
			Updated: rfc3339(a.UpdatedAt), Published: rfc3339(a.Start),
			Link:     atomLink{Rel: "alternate", Type: "text/html", Href: base + "/alertes#alerte-" + a.ID},
			Category: &atomCategory{Term: a.Topic, Label: m.s.Render.T("fr", "content.topic."+a.Topic)},
			Content:  &atomText{Type: "text", Body: body}})
	}
	return m.writeAtom(w, f)
}

// agendaFeed is the iCalendar feed of the agenda, whole or one category
// (/agenda/categorie/culture.ics).
func (m *Module) agendaFeed(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	cat, name := "", t.Name+" – "+m.s.Render.T("fr", "content.agenda.title")
	if c := r.PathValue("cat"); c != "" {
		var ok bool
		if cat, ok = cutSuffix(c, ".ics"); !ok || !slices.Contains(content.EventCategories, cat) {
			return content.ErrNotFound
		}
		name += " – " + m.s.Render.T("fr", "content.cat."+cat)
	}
	events, err := m.store.AllPublicEvents(r.Context(), t.ID, cat, m.store.Now().AddDate(0, -3, 0), 500)
	if err != nil {
		return err
	}
	m.writeICS(w, r, events, name, "")
	return nil
}

// eventICS is one event as an .ics file to add to a calendar.
func (m *Module) eventICS(w http.ResponseWriter, r *http.Request, slug string) error {
	t := tenant.FromContext(r.Context())
	e, err := m.store.PublicEvent(r.Context(), t.ID, slug)
	if err != nil {
		return err
	}
	m.writeICS(w, r, []*content.Event{e}, e.Title, slug+".ics")
	return nil
}

func (m *Module) writeICS(w http.ResponseWriter, r *http.Request, events []*content.Event, name, file string) {
	t := tenant.FromContext(r.Context())
	base := m.baseURL(r)
	host := strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://")
	if i := strings.IndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	doc := writeICS(events, ICSOptions{Name: name, URL: base + "/agenda", Host: host, Loc: m.loc(r), Now: m.store.Now(),
		Description: m.s.Render.T("fr", "content.agenda.feed_desc", t.Name)})
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	if file != "" {
		w.Header().Set("Content-Disposition", `attachment; filename="`+file+`"`)
	}
	_, _ = w.Write([]byte(doc)) // a reader gone away is no failure of ours
}
