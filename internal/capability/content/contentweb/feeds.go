package contentweb

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"guichet/internal/capability/content"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
)

// feedSize is how many entries a feed holds.
const feedSize = 50

// newsFeed is the Atom feed of the latest news.
func (m *Module) newsFeed(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	list, _, err := m.store.ListPublicNews(r.Context(), t.ID, content.NewsFilter{Limit: feedSize})
	if err != nil {
		return err
	}
	base := m.baseURL(r)
	f := &publishingweb.AtomFeed{Lang: "fr", ID: base + "/actualites", Title: t.Name + " – " + m.s.Render.T("fr", "content.news.title"),
		Author: publishingweb.AtomPerson{Name: t.Name}, Updated: publishingweb.RFC3339(t.UpdatedAt),
		Links: []publishingweb.AtomLink{{Rel: "self", Type: "application/atom+xml", Href: base + "/actualites/flux.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/actualites"}}}
	for i, n := range list {
		if i == 0 || n.UpdatedAt.After(parseRFC(f.Updated)) {
			f.Updated = publishingweb.RFC3339(maxTime(n.UpdatedAt, *n.PublishAt))
		}
		e := publishingweb.AtomEntry{ID: "urn:uuid:" + n.ID, Title: n.Title, Updated: publishingweb.RFC3339(maxTime(n.UpdatedAt, *n.PublishAt)),
			Published: publishingweb.RFC3339(*n.PublishAt), Link: publishingweb.AtomLink{Rel: "alternate", Type: "text/html", Href: base + n.URL()},
			Category: &publishingweb.AtomCategory{Term: n.Category, Label: m.s.Render.T("fr", "content.cat."+n.Category)},
			Content:  &publishingweb.AtomText{Type: "html", Body: string(publishing.HTML(n.Body))}}
		if n.Summary != "" {
			e.Summary = &publishingweb.AtomText{Type: "text", Body: n.Summary}
		}
		f.Entries = append(f.Entries, e)
	}
	return publishingweb.WriteAtom(w, f)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func parseRFC(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }

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
