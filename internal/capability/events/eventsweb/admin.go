package eventsweb

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"guichet"
	"guichet/internal/capability/events"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
	"guichet/internal/publishing"
	"guichet/internal/publishing/publishingweb"
)

// adminEvents lists every event, last changed first, with filters.
func (m *Module) adminEvents(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	q := r.URL.Query()
	f := publishing.ListFilter{Status: q.Get("etat"), Category: q.Get("categorie"), Query: q.Get("q"), After: publishing.ParseCursor(q.Get("apres"))}
	if !slices.Contains([]string{publishing.StatusDraft, publishing.StatusPublished, publishing.StatusUnpublished}, f.Status) {
		f.Status = ""
	}
	if !slices.Contains(events.Categories, f.Category) {
		f.Category = ""
	}
	list, next, err := m.store.ListStaff(r.Context(), t.ID, f)
	if err != nil {
		return err
	}
	rows := make([]publishingweb.Row, len(list))
	for i, e := range list {
		st := m.desk.State(e.Status, e.PublishAt)
		if e.Cancelled {
			st = "cancelled"
		}
		rows[i] = publishingweb.Row{ID: e.ID, Title: e.Title, Status: st, Category: e.Category, Updated: publishingweb.Stamp(r, e.Start), URL: e.URL()}
	}
	keep := url.Values{"etat": {f.Status}, "categorie": {f.Category}, "q": {f.Query}}
	p := m.s.Render.NewPage(r, "", map[string]any{"Rows": rows, "Next": next.String(), "Keep": keep.Encode(),
		"Statuses": m.desk.StatusOptions(r)[0:1], "Categories": m.desk.CategoryOptions(r, events.Categories), "Filter": f,
		"Later": f.After.ID != ""})
	p.Data.(map[string]any)["Statuses"] = []publishingweb.Option{{Value: publishing.StatusDraft, Label: p.T("publishing.status.draft")},
		{Value: publishing.StatusPublished, Label: p.T("publishing.status.published")}, {Value: publishing.StatusUnpublished, Label: p.T("publishing.status.unpublished")}}
	p.Title = p.T("events.admin.events")
	m.s.Render.Page(w, r, http.StatusOK, "events/admin_events", p)
	return nil
}

func (m *Module) eventForm(w http.ResponseWriter, r *http.Request) error {
	e := &events.Event{}
	if id := r.PathValue("id"); id != "" {
		var err error
		if e, err = m.store.ByID(r.Context(), tenant.FromContext(r.Context()).ID, id); err != nil {
			return err
		}
	}
	return m.renderEventForm(w, r, http.StatusOK, e, eventValues(e, m.loc(r)), nil, false)
}

func eventValues(e *events.Event, loc *time.Location) url.Values {
	v := url.Values{"title": {e.Title}, "category": {e.Category}, "summary": {e.Summary}, "body": {e.Body},
		"place": {e.Place}, "address": {e.Address}, "recurrence": {e.Recurrence}, "title_en": {e.TitleEN}, "body_en": {e.BodyEN}}
	if !e.Start.IsZero() {
		s, en := e.Start.In(loc), e.End.In(loc)
		v.Set("start_date", s.Format("2006-01-02"))
		v.Set("end_date", en.Format("2006-01-02"))
		if !e.AllDay {
			v.Set("start_time", s.Format("15:04"))
			v.Set("end_time", en.Format("15:04"))
		}
	}
	if e.AllDay {
		v.Set("all_day", "1")
	}
	if e.RecurrenceUntil != nil {
		v.Set("recurrence_until", e.RecurrenceUntil.In(loc).Format("2006-01-02"))
	}
	if e.Registration {
		v.Set("registration", "1")
		v.Set("capacity", strconv.Itoa(e.Capacity))
	}
	return publishingweb.PublicationValues(v, e.Publication(), loc)
}

func (m *Module) renderEventForm(w http.ResponseWriter, r *http.Request, status int, e *events.Event, form url.Values,
	errs map[string]string, preview bool) error {
	data := m.desk.EditorData(r, e.Publication(), form, preview)
	data["Item"], data["Categories"] = e, m.desk.CategoryOptions(r, events.Categories)
	if e.ID != "" && e.Registration {
		regs, err := m.store.Registrations(r.Context(), e.TenantID, e.ID)
		if err != nil {
			return err
		}
		m.s.Record(r, "events.registrations_viewed", e.ID)
		type regView struct {
			events.Registration
			Date string
		}
		views := make([]regView, len(regs))
		for i, reg := range regs {
			o := events.Occurrence{Start: reg.Occurrence, End: reg.Occurrence.Add(e.End.Sub(e.Start))}
			views[i] = regView{reg, m.dateView(r, e, o).Label()}
		}
		data["Registrations"] = views
	}
	p := m.s.Render.NewPage(r, "", data)
	data["Repeats"] = []publishingweb.Option{{Value: "", Label: p.T("events.repeat.none")}, {Value: events.RepeatWeekly, Label: p.T("events.repeat.weekly")},
		{Value: events.RepeatMonthly, Label: p.T("events.repeat.monthly")}}
	p.Errors, p.Form = errs, form
	p.Title = p.T("events.admin.new_event")
	if e.ID != "" {
		p.Title = p.T("publishing.admin.edit", e.Title)
	}
	m.s.Render.Page(w, r, status, "events/admin_event_form", p)
	return nil
}

// saveEvent saves the event form like saveNews: "save", "publish" (now or
// at the date given) or "preview" without saving.
func (m *Module) saveEvent(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	loc := m.loc(r)
	e := &events.Event{TenantID: t.ID}
	if id := r.PathValue("id"); id != "" {
		var err error
		if e, err = m.store.ByID(r.Context(), t.ID, id); err != nil {
			return err
		}
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	errs := map[string]string{}
	ed := m.desk.ReadEdit(r, f, errs)
	if ed.Preview() {
		return m.renderEventForm(w, r, http.StatusOK, e, f, errs, true)
	}
	e.Title, e.Category, e.Summary, e.Body = f.Get("title"), f.Get("category"), f.Get("summary"), f.Get("body")
	e.Place, e.Address, e.Recurrence = f.Get("place"), f.Get("address"), f.Get("recurrence")
	e.TitleEN, e.BodyEN = f.Get("title_en"), f.Get("body_en")
	e.AllDay, e.Registration = f.Get("all_day") == "1", f.Get("registration") == "1"
	bad := m.s.Render.T(web.LangOf(r), "publishing.admin.bad_date")
	start, ok1 := publishingweb.LocalTime(f, "start_date", "start_time", loc)
	end, ok2 := publishingweb.LocalTime(f, "end_date", "end_time", loc)
	until, ok3 := publishingweb.LocalTime(f, "recurrence_until", "", loc)
	if !ok1 {
		errs["start_date"] = bad
	}
	if !ok2 {
		errs["end_date"] = bad
	}
	if !ok3 {
		errs["recurrence_until"] = bad
	}
	e.Start, e.End, e.RecurrenceUntil = time.Time{}, time.Time{}, nil
	if start != nil {
		e.Start = start.UTC()
		e.End = e.Start
		if end != nil {
			e.End = end.UTC()
		}
		if e.AllDay {
			e.Start = startOfDay(*start)
			e.End = startOfDay(e.End.In(loc))
		} else if end == nil || f.Get("end_time") == "" && f.Get("start_time") != "" {
			e.End = e.Start.Add(2 * time.Hour) // no end given: two hours
		}
	}
	if until != nil {
		u := until.Add(24*time.Hour - time.Second).UTC()
		e.RecurrenceUntil = &u
	}
	e.Capacity, _ = strconv.Atoi(f.Get("capacity"))
	if len(errs) > 0 {
		return m.renderEventForm(w, r, http.StatusUnprocessableEntity, e, f, errs, false)
	}
	action, undo := m.desk.Apply(ed, &e.Status, &e.PublishAt, e.ID == "")
	err := m.store.Save(r.Context(), e, loc, publishingweb.Author(r), action)
	if fields := guichet.FieldErrors(err); fields != nil {
		undo()
		return m.renderEventForm(w, r, http.StatusUnprocessableEntity, e, f, fields, false)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "events.event_"+action, e.Title)
	return publishingweb.SeeOther(w, r, "/gestion/agenda/"+e.ID+"?enregistre=1")
}

func startOfDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location()).UTC()
}

// eventStatus publishes, unpublishes or cancels an event.
func (m *Module) eventStatus(w http.ResponseWriter, r *http.Request) error {
	t := tenant.FromContext(r.Context())
	status := r.PostFormValue("status")
	if status != publishing.StatusPublished && status != publishing.StatusUnpublished && status != "cancelled" {
		return guichet.Errorf(guichet.EInvalid, "État inconnu.")
	}
	e, err := m.store.SetStatus(r.Context(), t.ID, r.PathValue("id"), status, status == "cancelled", m.loc(r), publishingweb.Author(r))
	if err != nil {
		return err
	}
	m.s.Record(r, "events.event_"+status, e.Title)
	return publishingweb.SeeOther(w, r, "/gestion/agenda/"+e.ID+"?enregistre=1")
}
