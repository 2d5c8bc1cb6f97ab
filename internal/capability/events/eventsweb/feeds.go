package eventsweb

import (
	"encoding/json"
	"guichet/internal/capability/events"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// agendaFeed is the iCalendar feed of the agenda, whole or one category
// (/agenda/categorie/culture.ics).
func (m *Module) agendaFeed(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	cat, name := "", t.Name+" – "+m.s.Render.T("fr", "events.agenda.title")
	if c := r.PathValue("cat"); c != "" {
		var ok bool
		if cat, ok = cutSuffix(c, ".ics"); !ok || !slices.Contains(events.Categories, cat) {
			return publishing.ErrNotFound
		}
		name += " – " + m.s.Render.T("fr", "publishing.cat."+cat)
	}
	// The feed, read by calendar programs every few minutes, is shared
	// for homeTTL by every reader of the same address.
	doc, err := invalidate.Memoized(m.lists, t.ID, "ics|"+cat+"|"+m.baseURL(r), func() (string, error) {
		list, err := m.store.AllPublic(r.Context(), t.ID, cat, m.store.Now().AddDate(0, -3, 0), 500)
		if err != nil {
			return "", err
		}
		return m.icsDoc(r, list, name), nil
	})
	if err != nil {
		return err
	}
	writeCalendar(w, doc, "")
	return nil
}

// eventICS is one event as an .ics file to add to a calendar.
func (m *Module) eventICS(w http.ResponseWriter, r *http.Request, slug string) error {
	t := tenant.FromContext(r.Context())
	e, err := m.store.Public(r.Context(), t.ID, slug)
	if err != nil {
		return err
	}
	m.writeICS(w, r, []*events.Event{e}, e.Title, slug+".ics")
	return nil
}

func (m *Module) writeICS(w http.ResponseWriter, r *http.Request, list []*events.Event, name, file string) {
	writeCalendar(w, m.icsDoc(r, list, name), file)
}

// icsDoc is the iCalendar text of list, named name.
func (m *Module) icsDoc(r *http.Request, list []*events.Event, name string) string {
	t := tenant.FromContext(r.Context())
	base := m.baseURL(r)
	host := strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://")
	if i := strings.IndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	doc := writeICS(list, ICSOptions{Name: name, URL: base + "/agenda", Host: host, Loc: m.loc(r), Now: m.store.Now(),
		Description: m.s.Render.T("fr", "events.agenda.feed_desc", t.Name)})
	return doc
}

// writeCalendar sends an iCalendar text, as a file named file if not "".
func writeCalendar(w http.ResponseWriter, doc, file string) {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	if file != "" {
		w.Header().Set("Content-Disposition", `attachment; filename="`+file+`"`)
	}
	_, _ = w.Write([]byte(doc)) // a reader gone away is no failure of ours
}

// apiEvent is an event date in the JSON API.
type apiEvent struct {
	ID           string    `json:"id"`
	Slug         string    `json:"slug"`
	URL          string    `json:"url"`
	ICS          string    `json:"ics"`
	Category     string    `json:"category"`
	Title        string    `json:"title"`
	Summary      string    `json:"summary"`
	Place        string    `json:"place"`
	Address      string    `json:"address"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	AllDay       bool      `json:"all_day"`
	Recurrence   string    `json:"recurrence"`
	Cancelled    bool      `json:"cancelled"`
	Registration bool      `json:"registration"`
	Capacity     int       `json:"capacity,omitempty"`
}

func (m *Module) apiEventOf(r *http.Request, e *events.Event, o events.Occurrence) apiEvent {
	base, loc := m.baseURL(r), m.loc(r)
	return apiEvent{ID: e.ID, Slug: e.Slug, URL: base + e.URL(), ICS: base + e.URL() + ".ics", Category: e.Category,
		Title: e.Title, Summary: e.Summary, Place: e.Place, Address: e.Address, Start: o.Start.In(loc), End: o.End.In(loc),
		AllDay: e.AllDay, Recurrence: e.Recurrence, Cancelled: e.Cancelled, Registration: e.Registration, Capacity: e.Capacity}
}

// apiEvents lists the next dates (?category=&from=2026-05-01&after=cursor).
func (m *Module) apiEvents(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	cat := q.Get("category")
	if cat != "" && !slices.Contains(events.Categories, cat) {
		return publishing.ErrNotFound
	}
	from := m.store.Now()
	if d, err := time.ParseInLocation("2006-01-02", q.Get("from"), m.loc(r)); err == nil {
		from = d.UTC()
	}
	filter := events.Filter{Category: cat, From: from, After: publishing.ParseCursor(q.Get("after")), Limit: 50, Details: true}
	answer := func() ([]byte, error) {
		list, next, err := m.dates(r, filter, "")
		if err != nil {
			return nil, err
		}
		items := make([]apiEvent, len(list))
		for i, d := range list {
			items[i] = m.apiEventOf(r, d.Event, d.Occurrence)
		}
		doc, err := json.Marshal(map[string]any{"items": items, "next": next.String()})
		return append(doc, '\n'), err
	}
	// The first page from now, which most clients read, is encoded once
	// for homeTTL per address.
	var doc []byte
	var err error
	if cat == "" && q.Get("from") == "" && q.Get("after") == "" {
		doc, err = invalidate.Memoized(m.lists, tenant.FromContext(r.Context()).ID, "api|"+m.baseURL(r), answer)
	} else {
		doc, err = answer()
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(doc) // a reader gone away is no failure of ours
	return nil
}

func (m *Module) apiEvent(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	e, err := m.store.ByID(r.Context(), t.ID, r.PathValue("id"))
	if err != nil || !e.Public(m.store.Now()) {
		return publishing.ErrNotFound
	}
	web.WriteJSON(w, http.StatusOK, m.apiEventOf(r, e, events.Occurrence{Start: e.Start, End: e.End}))
	return nil
}

func (m *Module) eventJSONLD(r *http.Request, e *events.Event) template.JS {
	t := tenant.FromContext(r.Context())
	loc := m.loc(r)
	status := "https://schema.org/EventScheduled"
	if e.Cancelled {
		status = "https://schema.org/EventCancelled"
	}
	v := map[string]any{"@context": "https://schema.org", "@type": "Event", "name": e.Title,
		"url": m.baseURL(r) + e.URL(), "eventStatus": status,
		"eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
		"location":            map[string]any{"@type": "Place", "name": e.Place, "address": e.Address},
		"organizer":           map[string]any{"@type": "GovernmentOrganization", "name": t.Name, "url": m.baseURL(r)}}
	if e.AllDay {
		v["startDate"], v["endDate"] = e.Start.In(loc).Format("2006-01-02"), e.End.In(loc).Format("2006-01-02")
	} else {
		v["startDate"], v["endDate"] = e.Start.In(loc).Format(time.RFC3339), e.End.In(loc).Format(time.RFC3339)
	}
	if e.Summary != "" {
		v["description"] = e.Summary
	}
	return publishingweb.JSONLD(v)
}

// kind is what the revision pages need of events.
func (m *Module) kind() publishingweb.EditorKind {
	return publishingweb.EditorKind{Kind: events.Kind, Base: "/gestion/agenda",
		Title: func(r *http.Request, tenantID, id string) (string, error) {
			e, err := m.store.ByID(r.Context(), tenantID, id)
			if err != nil {
				return "", err
			}
			return e.Title, nil
		},
		Fields: func(r *http.Request, rev *publishing.Revision) ([]publishingweb.RevisionField, error) {
			e, err := events.Revised(rev)
			if err != nil {
				return nil, err
			}
			lang := web.LangOf(r)
			f := m.desk.Fields(r)
			f.Text("title", "publishing.form.title", e.Title)
			f.Text("category", "publishing.filter.category", m.s.Render.T(lang, "publishing.cat."+e.Category))
			f.Text("summary", "publishing.form.summary", e.Summary)
			f.Text("place", "events.event.where", e.Place)
			f.Text("address", "events.form.address", e.Address)
			d := m.dateView(r, e, events.Occurrence{Start: e.Start, End: e.End})
			f.Text("start_date", "events.event.when", d.Day+" "+d.Hours)
			if e.Recurrence != events.RepeatNone {
				f.Text("recurrence", "events.form.recurrence", m.s.Render.T(lang, "events.repeat."+e.Recurrence))
			}
			if e.Registration {
				f.Text("capacity", "events.form.capacity", strconv.Itoa(e.Capacity))
			}
			f.Markdown("body", "publishing.form.body", e.Body)
			f.Text("title_en", "publishing.form.title_en", e.TitleEN)
			f.Markdown("body_en", "publishing.form.body_en", e.BodyEN)
			return f.List, nil
		},
		Restore: func(r *http.Request, tenantID, id, revisionID string) (string, error) {
			e, err := m.store.Restore(r.Context(), tenantID, id, revisionID, m.loc(r), publishingweb.Author(r))
			if err != nil {
				return "", err
			}
			return e.Title, nil
		},
	}
}
