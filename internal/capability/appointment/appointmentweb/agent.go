package appointmentweb

import (
	"net/http"
	"net/url"
	"time"

	"guichet"
	"guichet/internal/capability/appointment"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/web"
)

// errOtherService refuses an agent the agendas of other services.
var errOtherService = guichet.Errorf(guichet.EForbidden, "Vous n'avez pas accès à cette page.")

// scope is what the request's staff member manages: every agenda for
// administrators, those of their services for agents.
func scope(r *http.Request) appointment.Scope {
	id := account.FromContext(r.Context())
	if id == nil {
		return appointment.Scope{}
	}
	return appointment.Scope{All: id.Has(account.RoleAdmin), Services: id.Services}
}

// agentAgenda loads the path's agenda for a staff member who manages it.
func (m *Module) agentAgenda(r *http.Request) (*appointment.Agenda, error) {
	a, _, err := m.agenda(r)
	if err != nil {
		return nil, err
	}
	if !scope(r).Allows(a) {
		return nil, errOtherService
	}
	return a, nil
}

func (m *Module) agentHome(w http.ResponseWriter, r *http.Request) error {
	t, _ := m.loc(r)
	all, err := m.store.Agendas(r.Context(), t.ID, false)
	if err != nil {
		return err
	}
	sc := scope(r)
	agendas := []*appointment.Agenda{}
	for _, a := range all {
		if sc.Allows(a) {
			agendas = append(agendas, a)
		}
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Agendas": agendas})
	p.Title = p.T("appointment.agent_title")
	m.s.Render.Page(w, r, http.StatusOK, "appointment/agent_home", p)
	return nil
}

// dayParam reads ?date=YYYY-MM-DD, today by default.
func (m *Module) dayParam(r *http.Request, name string) appointment.Day {
	_, loc := m.loc(r)
	if d, err := appointment.ParseDay(r.URL.Query().Get(name)); err == nil {
		return d
	}
	return appointment.DayOf(m.store.Now(), loc)
}

// resourceRows is one resource's bookings.
type resourceRows struct {
	Resource appointment.Resource
	Rows     []bookingView
}

func (m *Module) dayRows(r *http.Request, a *appointment.Agenda, from, to appointment.Day) ([]resourceRows, []bookingView, error) {
	_, loc := m.loc(r)
	list, err := m.store.Bookings(r.Context(), a, loc, from, to)
	if err != nil {
		return nil, nil, err
	}
	filter := r.URL.Query().Get("ressource")
	lang := web.LangOf(r)
	var out []resourceRows
	var all []bookingView
	for _, res := range a.Resources {
		if filter != "" && res.ID != filter {
			continue
		}
		rr := resourceRows{Resource: res}
		for _, b := range list {
			if b.ResourceID == res.ID {
				v := m.view(b, a, loc, lang)
				rr.Rows = append(rr.Rows, v)
			}
		}
		out = append(out, rr)
	}
	for _, b := range list {
		if filter == "" || b.ResourceID == filter {
			all = append(all, m.view(b, a, loc, lang))
		}
	}
	return out, all, nil
}

func (m *Module) agentDay(w http.ResponseWriter, r *http.Request) error {
	return m.agentDayPage(w, r, "appointment/agent_day", "appointment.day_viewed")
}

func (m *Module) agentPrint(w http.ResponseWriter, r *http.Request) error {
	return m.agentDayPage(w, r, "appointment/agent_print", "appointment.print_viewed")
}

// agentDayPage shows a day's bookings; action names the audit entry.
func (m *Module) agentDayPage(w http.ResponseWriter, r *http.Request, page, action string) error {
	a, err := m.agentAgenda(r)
	if err != nil {
		return err
	}
	_, loc := m.loc(r)
	day := m.dayParam(r, "date")
	res, all, err := m.dayRows(r, a, day, day)
	if err != nil {
		return err
	}
	m.s.Record(r, action, a.Slug+" "+day.String())
	lang := web.LangOf(r)
	label := capitalize(guichet.LongDate(day.Time(loc), lang))
	p := m.s.Render.NewPage(r, "", map[string]any{"Agenda": a, "Resources": res, "All": all, "Day": day.String(),
		"Prev": day.AddDays(-1).String(), "Next": day.AddDays(1).String(), "Label": label,
		"Filter": r.URL.Query().Get("ressource"), "Back": r.URL.RequestURI()})
	p.Title = p.T("appointment.agent_day_title", a.Name, label)
	m.s.Render.Page(w, r, http.StatusOK, page, p)
	return nil
}

// weekRow is one day of the week view, with each resource's bookings.
type weekRow struct {
	Label string
	Day   string
	Cells [][]bookingView
}

func (m *Module) agentWeek(w http.ResponseWriter, r *http.Request) error {
	a, err := m.agentAgenda(r)
	if err != nil {
		return err
	}
	_, loc := m.loc(r)
	week := weekOf(m.dayParam(r, "semaine"))
	res, _, err := m.dayRows(r, a, week, week.AddDays(6))
	if err != nil {
		return err
	}
	m.s.Record(r, "appointment.week_viewed", a.Slug+" "+week.String())
	lang := web.LangOf(r)
	var rows []weekRow
	for i := range 7 {
		d := week.AddDays(i)
		row := weekRow{Label: capitalize(guichet.LongDate(d.Time(loc), lang)), Day: d.String()}
		for _, rr := range res {
			var cell []bookingView
			for _, b := range rr.Rows {
				if appointment.DayOf(b.Start, loc) == d && b.Status != appointment.StatusCancelled {
					cell = append(cell, b)
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		rows = append(rows, row)
	}
	label := capitalize(guichet.LongDate(week.Time(loc), lang))
	p := m.s.Render.NewPage(r, "", map[string]any{"Agenda": a, "Resources": res, "Rows": rows, "Label": label,
		"Prev": week.AddDays(-7).String(), "Next": week.AddDays(7).String(), "Filter": r.URL.Query().Get("ressource")})
	p.Title = p.T("appointment.agent_week_title", a.Name, label)
	m.s.Render.Page(w, r, http.StatusOK, "appointment/agent_week", p)
	return nil
}

func (m *Module) agentStatus(w http.ResponseWriter, r *http.Request) error {
	a, err := m.agentAgenda(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	t, _ := m.loc(r)
	id, status := r.PathValue("id"), r.PostForm.Get("status")
	b, err := m.store.Get(r.Context(), t.ID, id)
	if err != nil || b.AgendaID != a.ID {
		return appointment.ErrNotFound
	}
	if status == appointment.StatusCancelled {
		err = m.store.Cancel(r.Context(), b, "agent")
	} else {
		_, err = m.store.SetStatus(r.Context(), t.ID, id, status)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "appointment."+status, b.Reference)
	_, loc := m.loc(r)
	back := "/gestion/rendez-vous/" + a.Slug + "/jour?date=" + appointment.DayOf(b.Start, loc).String()
	return web.Redirect(w, r, web.SafeNext(r.PostForm.Get("retour"), back))
}

// option is a choice of a select or radio list.
type option struct{ Value, Label string }

func (m *Module) agentBookForm(w http.ResponseWriter, r *http.Request) error {
	a, err := m.agentAgenda(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	form := url.Values{"type": {q.Get("type")}, "date": {q.Get("date")}}
	return m.renderAgentBook(w, r, http.StatusOK, a, form, nil)
}

func (m *Module) renderAgentBook(w http.ResponseWriter, r *http.Request, status int, a *appointment.Agenda, form url.Values, errs map[string]string) error {
	_, loc := m.loc(r)
	var types []option
	for _, t := range a.Types {
		types = append(types, option{t.Slug, t.Name})
	}
	data := map[string]any{"Agenda": a, "Types": types}
	typ := a.Type(form.Get("type"))
	day, derr := appointment.ParseDay(form.Get("date"))
	if typ != nil && derr == nil {
		data["Type"] = typ
		agentAgenda := *a
		agentAgenda.MinNotice = 0
		exc, err := m.store.Exceptions(r.Context(), a.TenantID, a.ID, day, day)
		if err != nil {
			return err
		}
		busy, err := m.store.BusyBetween(r.Context(), a, day.Time(loc), day.AddDays(1).Time(loc).Add(a.Buffer))
		if err != nil {
			return err
		}
		slots := appointment.NewCalendar(&agentAgenda, loc, exc).Slots(typ, day, day, m.store.Now(), busy)
		var times []option
		for _, s := range slots {
			times = append(times, option{s.Start.Format(time.RFC3339), timeLabel(s.Start, loc)})
		}
		data["Times"] = times
		data["DayLabel"] = capitalize(guichet.LongDate(day.Time(loc), web.LangOf(r)))
	}
	p := m.s.Render.NewPage(r, "", data)
	p.Title = p.T("appointment.agent_book_title", a.Name)
	p.Form, p.Errors = form, errs
	m.s.Render.Page(w, r, status, "appointment/agent_book", p)
	return nil
}

func (m *Module) agentBook(w http.ResponseWriter, r *http.Request) error {
	a, err := m.agentAgenda(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	typ := a.Type(f.Get("type"))
	if typ == nil {
		return m.renderAgentBook(w, r, http.StatusUnprocessableEntity, a, f, map[string]string{"type": "Choisissez le type de rendez-vous."})
	}
	start, err := chosen(f.Get("debut"))
	if err != nil {
		return m.renderAgentBook(w, r, http.StatusUnprocessableEntity, a, f, map[string]string{"debut": "Choisissez un horaire."})
	}
	t, loc := m.loc(r)
	req := &appointment.Request{Agenda: a, Type: typ, Loc: loc, Start: start, Name: f.Get("name"), Email: f.Get("email"),
		Phone: f.Get("phone"), ANTS: f.Get("ants"), Lang: "fr", BookedBy: "agent", SiteURL: m.s.SiteURL(r, t), Agent: true}
	b, err := m.store.Book(r.Context(), req)
	switch {
	case guichet.ErrorCode(err) == guichet.EConflict:
		return m.renderAgentBook(w, r, http.StatusConflict, a, f, map[string]string{"debut": guichet.ErrorMessage(err)})
	case err == appointment.ErrSlotInvalid:
		return m.renderAgentBook(w, r, http.StatusUnprocessableEntity, a, f, map[string]string{"debut": guichet.ErrorMessage(err)})
	case guichet.FieldErrors(err) != nil:
		return m.renderAgentBook(w, r, http.StatusUnprocessableEntity, a, f, guichet.FieldErrors(err))
	case err != nil:
		return err
	}
	m.s.Record(r, "appointment.booked_for", b.Reference)
	return web.Redirect(w, r, "/gestion/rendez-vous/"+a.Slug+"/jour?date="+appointment.DayOf(b.Start, loc).String())
}
