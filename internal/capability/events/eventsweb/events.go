package eventsweb

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"guichet"
	"guichet/internal/capability/events"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
)

// dateView is one date of an event in the collectivité's zone.
type dateView struct {
	*events.Event
	Start, End       time.Time // local
	StartISO, EndISO string
	Day, Hours       string
	Past             bool
}

func (m *Module) dateView(r *http.Request, e *events.Event, o events.Occurrence) dateView {
	loc := m.loc(r)
	v := dateView{Event: e, Start: o.Start.In(loc), End: o.End.In(loc)}
	v.StartISO, v.EndISO = v.Start.Format(time.RFC3339), v.End.Format(time.RFC3339)
	v.Past = o.End.Before(m.store.Now())
	text := e.DateText(loc, web.LangOf(r), o)
	v.Day, v.Hours = text.Day, text.Hours
	return v
}

// Label is the date as one line: "5 décembre 2026, 14:00 – 16:00".
func (v dateView) Label() string { return events.DateText{Day: v.Day, Hours: v.Hours}.Label() }

// agenda lists the next dates, filtered by category and a first day
// (?categorie=&du=2026-05-01), with keyset pages.
func (m *Module) agenda(w http.ResponseWriter, r *http.Request) error {
	return m.eventList(w, r, false)
}

// archive lists past dates, newest first.
func (m *Module) archive(w http.ResponseWriter, r *http.Request) error {
	return m.eventList(w, r, true)
}

func (m *Module) eventList(w http.ResponseWriter, r *http.Request, past bool) error {
	q := r.URL.Query()
	cat := q.Get("categorie")
	if !slices.Contains(events.Categories, cat) {
		cat = ""
	}
	from := m.store.Now()
	if d, err := time.ParseInLocation("2006-01-02", q.Get("du"), m.loc(r)); err == nil && !past {
		from = d.UTC()
	}
	after := publishing.ParseCursor(q.Get("apres"))
	shared := ""
	if cat == "" && q.Get("du") == "" && after.ID == "" {
		shared = "agenda"
		if past {
			shared = "archives"
		}
	}
	list, next, err := m.dates(r, events.Filter{Category: cat, From: from, Past: past, After: after, Limit: 15}, shared)
	if err != nil {
		return err
	}
	views := make([]dateView, len(list))
	for i, d := range list {
		views[i] = m.dateView(r, d.Event, d.Occurrence)
	}
	keep := url.Values{}
	if cat != "" {
		keep.Set("categorie", cat)
	}
	if q.Get("du") != "" && !past {
		keep.Set("du", q.Get("du"))
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Dates": views, "Next": next.String(), "Category": cat, "From": q.Get("du"),
		"Categories": m.desk.CategoryOptions(r, events.Categories), "Past": past, "Keep": keep.Encode(), "Later": after.ID != ""})
	p.Title = p.T("events.agenda.title")
	if past {
		p.Title = p.T("events.agenda.archive")
	}
	if cat != "" {
		p.Title += " – " + p.T("publishing.cat."+cat)
	}
	if after.ID != "" {
		p.Title += " – " + p.T("events.more_dates")
	}
	m.s.Render.PageData(w, r, "events/agenda", p)
	return nil
}

func (m *Module) event(w http.ResponseWriter, r *http.Request) error {
	if slug, ok := cutSuffix(r.PathValue("slug"), ".ics"); ok {
		return m.eventICS(w, r, slug)
	}
	return m.renderEvent(w, r, http.StatusOK, nil, "")
}

func cutSuffix(s, suffix string) (string, bool) {
	if len(s) > len(suffix) && s[len(s)-len(suffix):] == suffix {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}

// eventPage is what an event's page shows of it in one language.
type eventPage struct {
	event  *events.Event
	dates  []dateView
	html   template.HTML
	jsonld template.JS
}

func (m *Module) renderEvent(w http.ResponseWriter, r *http.Request, status int, errs map[string]string, notice string) error {
	t := tenant.FromContext(r.Context())
	// What every visitor sees of the event, in their language, shared for
	// homeTTL (seats are read apart); a missing event is not kept, so a
	// scheduled one shows on time.
	slug, base := r.PathValue("slug"), m.baseURL(r)
	v, err := invalidate.Memoized(m.lists, t.ID, "event|"+web.LangOf(r)+"|"+base+"|"+slug, func() (eventPage, error) {
		e, err := m.store.Public(r.Context(), t.ID, slug)
		if err != nil {
			return eventPage{}, err
		}
		v := eventPage{event: e, html: publishing.HTML(e.Body), jsonld: m.eventJSONLD(r, e)}
		for i, o := range e.Occurrences(m.loc(r)) {
			if i >= events.ListedDates {
				break
			}
			v.dates = append(v.dates, m.dateView(r, e, o))
		}
		return v, nil
	})
	if err != nil {
		return err
	}
	e := v.event
	data := map[string]any{"Event": v.dates[0], "Dates": v.dates, "HTML": v.html, "JSONLD": v.jsonld, "URL": base + e.URL()}
	if e.Registration {
		if err := m.registrationData(r, e, data); err != nil {
			return err
		}
	}
	p := m.s.Render.NewPage(r, e.Title, data)
	p.Errors, p.Form, p.Notice = errs, r.PostForm, notice
	if status != http.StatusOK {
		m.s.Render.Page(w, r, status, "events/event", p)
		return nil
	}
	m.s.Render.PageData(w, r, "events/event", p)
	return nil
}

// registrationData adds the dates open to registration, each with its
// seats: a choice of dates when there are several, the seats of the one
// date otherwise.
func (m *Module) registrationData(r *http.Request, e *events.Event, data map[string]any) error {
	dates := e.OpenDates(m.loc(r), m.store.Now())
	data["Open"] = len(dates) > 0
	if len(dates) == 0 {
		return nil
	}
	seats, err := m.store.SeatsByDate(r.Context(), e.TenantID, e.ID)
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	var choices []publishingweb.Option
	for _, o := range dates {
		st := seats[o.Start.Unix()]
		left, when := max(0, e.Capacity-st.Taken), m.dateView(r, e, o).Label()
		label := m.s.Render.Cat.N(lang, "events.registration.date_full", st.Waiting, when)
		if left > 0 {
			label = m.s.Render.Cat.N(lang, "events.registration.date_seats", left, when, e.Capacity)
		}
		choices = append(choices, publishingweb.Option{Value: strconv.FormatInt(o.Start.Unix(), 10), Label: label})
	}
	first := seats[dates[0].Start.Unix()]
	data["DateChoices"], data["Left"], data["Waiting"] = choices, max(0, e.Capacity-first.Taken), first.Waiting
	return nil
}

// register books a seat at the date chosen (or a waiting-list place); the
// store mails its link.
func (m *Module) register(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if err := web.ParseForm(r); err != nil {
		return err
	}
	req := events.RegistrationRequest{Slug: r.PathValue("slug"), Name: r.PostForm.Get("name"), Email: r.PostForm.Get("email"),
		Lang: web.LangOf(r), Loc: m.loc(r), BaseURL: m.baseURL(r)}
	if v := r.PostForm.Get("date"); v != "" {
		unix, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return m.renderEvent(w, r, http.StatusUnprocessableEntity, map[string]string{"date": m.s.Render.T(web.LangOf(r), "events.registration.date_invalid")}, "")
		}
		req.Occurrence = time.Unix(unix, 0).UTC()
	}
	if err := m.s.Limit(r, abuse.EventRegistration, req.Email); err != nil {
		return err
	}
	reg, _, err := m.store.Register(r.Context(), t.ID, req)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderEvent(w, r, http.StatusUnprocessableEntity, fields, "")
	}
	if err != nil {
		return err
	}
	key := "events.registration.done"
	if reg.Status == events.RegWaiting {
		key = "events.registration.waiting"
	}
	r.PostForm = nil
	return m.renderEvent(w, r, http.StatusOK, nil, m.s.Render.T(web.LangOf(r), key))
}

func (m *Module) registrationForm(w http.ResponseWriter, r *http.Request) error {
	p := m.s.Render.NewPage(r, "", map[string]any{"Token": r.PathValue("token")})
	p.Title = p.T("events.registration.cancel_title")
	m.s.Render.Page(w, r, http.StatusOK, "events/registration_cancel", p)
	return nil
}

func (m *Module) cancelRegistration(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	if _, err := m.store.CancelRegistration(r.Context(), t.ID, r.PathValue("token"), m.loc(r), m.baseURL(r)); err != nil {
		return err
	}
	return publishingweb.Message(m.s, w, r, "events.registration.cancelled_title", "events.registration.cancelled")
}
