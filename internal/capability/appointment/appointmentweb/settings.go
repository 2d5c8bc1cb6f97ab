package appointmentweb

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/capability/appointment"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/web"
)

// exceptionView is a closure, block or extra opening as listed.
type exceptionView struct {
	appointment.Exception
	Date, From, To, Resource string
}

func (m *Module) agentBlocks(w http.ResponseWriter, r *http.Request) error {
	a, err := m.agentAgenda(r)
	if err != nil {
		return err
	}
	return m.renderBlocks(w, r, http.StatusOK, a, url.Values{"kind": {appointment.Closed}}, nil)
}

func (m *Module) renderBlocks(w http.ResponseWriter, r *http.Request, status int, a *appointment.Agenda, form url.Values, errs map[string]string) error {
	_, loc := m.loc(r)
	today := appointment.DayOf(m.store.Now(), loc)
	list, err := m.store.Exceptions(r.Context(), a.TenantID, a.ID, today, today.AddDays(366))
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	var views []exceptionView
	for _, e := range list {
		d, _ := appointment.ParseDay(e.Day)
		v := exceptionView{Exception: e, Date: capitalize(guichet.LongDate(d.Time(loc), lang)),
			From: hhmm(e.Start), To: hhmm(e.End)}
		if res := a.Resource(e.ResourceID); res != nil {
			v.Resource = res.Name
		}
		views = append(views, v)
	}
	resources := []option{}
	for _, res := range a.Resources {
		resources = append(resources, option{res.ID, res.Name})
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Agenda": a, "Exceptions": views, "Resources": resources})
	p.Data.(map[string]any)["Kinds"] = []option{{appointment.Closed, p.T("appointment.kind_closed")},
		{appointment.Open, p.T("appointment.kind_open")}}
	p.Title = p.T("appointment.blocks_title", a.Name)
	p.Form, p.Errors = form, errs
	m.s.Render.Page(w, r, status, "appointment/agent_blocks", p)
	return nil
}

func hhmm(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// parseHHMM reads 09:30 as minutes after midnight; 24:00 is the end of the day.
func parseHHMM(s string) (int, bool) {
	h, mm, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return 0, false
	}
	hi, err1 := strconv.Atoi(h)
	mi, err2 := strconv.Atoi(mm)
	if err1 != nil || err2 != nil || hi < 0 || mi < 0 || mi > 59 || hi*60+mi > 1440 {
		return 0, false
	}
	return hi*60 + mi, true
}

func (m *Module) agentBlock(w http.ResponseWriter, r *http.Request) error {
	a, err := m.agentAgenda(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	errs := map[string]string{}
	start, ok1 := parseHHMM(f.Get("start"))
	end, ok2 := parseHHMM(f.Get("end"))
	if f.Get("start") == "" && f.Get("end") == "" {
		start, end, ok1, ok2 = 0, 1440, true, true
	}
	if !ok1 {
		errs["start"] = "Indiquez une heure de début, par exemple 09:00."
	}
	if !ok2 {
		errs["end"] = "Indiquez une heure de fin, par exemple 12:00."
	}
	if res := f.Get("resource"); res != "" && a.Resource(res) == nil {
		errs["resource"] = "Choisissez un guichet de la liste."
	}
	if len(errs) > 0 {
		return m.renderBlocks(w, r, http.StatusUnprocessableEntity, a, f, errs)
	}
	e := &appointment.Exception{AgendaID: a.ID, ResourceID: f.Get("resource"), Day: f.Get("day"), Start: start, End: end,
		Kind: f.Get("kind"), Reason: strings.TrimSpace(f.Get("reason"))}
	err = m.store.AddException(r.Context(), a.TenantID, e)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderBlocks(w, r, http.StatusUnprocessableEntity, a, f, fields)
	}
	if err != nil {
		return err
	}
	m.s.Record(r, "appointment.exception_added", a.Slug+" "+e.Day)
	return web.Redirect(w, r, "/gestion/rendez-vous/"+a.Slug+"/blocages")
}

func (m *Module) agentUnblock(w http.ResponseWriter, r *http.Request) error {
	a, err := m.agentAgenda(r)
	if err != nil {
		return err
	}
	if err := m.store.RemoveException(r.Context(), a.TenantID, a.ID, r.PathValue("id")); err != nil {
		return err
	}
	m.s.Record(r, "appointment.exception_removed", a.Slug)
	return web.Redirect(w, r, "/gestion/rendez-vous/"+a.Slug+"/blocages")
}

// weekdays in the order of the settings form, Monday first.
var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

func settingsForm(a *appointment.Agenda) url.Values {
	f := url.Values{"name": {a.Name}, "service": {a.Service}, "place": {a.Place}, "description": {a.Description},
		"step": {strconv.Itoa(int(a.Step / time.Minute))}, "buffer": {strconv.Itoa(int(a.Buffer / time.Minute))},
		"notice": {strconv.Itoa(int(a.MinNotice / time.Hour))}, "window": {strconv.Itoa(a.WindowDays)},
		"release": {hhmm(a.ReleaseMinute)}, "hold": {strconv.Itoa(int(a.Hold / time.Minute))},
		"service_key": {a.ServiceKey}, "confirm_hold": {strconv.Itoa(int(a.ConfirmHold / time.Minute))},
		"guests_per_day": {strconv.Itoa(a.GuestsPerDay)}}
	var rem []string
	for _, d := range a.Reminders {
		rem = append(rem, strconv.Itoa(int(d/time.Hour)))
	}
	f.Set("reminders", strings.Join(rem, ", "))
	if a.AlsaceMoselle {
		f.Set("alsace", "1")
	}
	if a.Active {
		f.Set("active", "1")
	}
	setWeek(f, a.Hours)
	return f
}

// dayRanges writes one weekday's ranges as the forms take them: 09:00-12:00, 13:30-17:00.
func dayRanges(hours []appointment.Hours, wd time.Weekday) string {
	var parts []string
	for _, h := range hours {
		if h.Weekday == wd {
			parts = append(parts, hhmm(h.Start)+"-"+hhmm(h.End))
		}
	}
	return strings.Join(parts, ", ")
}

// setWeek fills the fields hours0 (Sunday) to hours6 with weekly hours.
func setWeek(f url.Values, hours []appointment.Hours) {
	for _, wd := range weekdays {
		f.Set(fmt.Sprintf("hours%d", wd), dayRanges(hours, wd))
	}
}

// parseWeek reads the fields hours0 to hours6; a day whose ranges do not
// read gets msg in errs.
func parseWeek(f url.Values, errs map[string]string, msg string) []appointment.Hours {
	var out []appointment.Hours
	for _, wd := range weekdays {
		field := fmt.Sprintf("hours%d", wd)
		for _, rng := range strings.Split(f.Get(field), ",") {
			if rng = strings.TrimSpace(rng); rng == "" {
				continue
			}
			from, to, _ := strings.Cut(rng, "-")
			s, ok1 := parseHHMM(from)
			e, ok2 := parseHHMM(to)
			if !ok1 || !ok2 || s >= e || s%5 != 0 || e%5 != 0 {
				errs[field] = msg
				break
			}
			out = append(out, appointment.Hours{Weekday: wd, Start: s, End: e})
		}
	}
	return out
}

func (m *Module) agentSettingsForm(w http.ResponseWriter, r *http.Request) error {
	a, err := m.agentAgenda(r)
	if err != nil {
		return err
	}
	return m.renderSettings(w, r, http.StatusOK, a, settingsForm(a), nil)
}

func (m *Module) renderSettings(w http.ResponseWriter, r *http.Request, status int, a *appointment.Agenda, form url.Values, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", nil)
	var days []option
	for _, wd := range weekdays {
		days = append(days, option{fmt.Sprintf("hours%d", wd), p.T(fmt.Sprintf("appointment.weekday_%d", wd))})
	}
	var resources []resourceHoursRow
	for i := range a.Resources {
		res := &a.Resources[i]
		row := resourceHoursRow{Name: res.Name, Path: resourceHoursPath(a, res), Hours: p.T("appointment.rh_agenda")}
		if len(res.Hours) > 0 {
			var parts []string
			for _, wd := range weekdays {
				if d := dayRanges(res.Hours, wd); d != "" {
					parts = append(parts, p.T(fmt.Sprintf("appointment.weekday_%d", wd))+" "+d)
				}
			}
			row.Hours = strings.Join(parts, " ; ")
		}
		resources = append(resources, row)
	}
	p.Data = map[string]any{"Agenda": a, "Days": days, "Resources": resources, "ServiceKeys": serviceKeys(r, p)}
	p.Title = p.T("appointment.settings_title", a.Name)
	if r.URL.Query().Get("enregistre") == "1" && len(errs) == 0 {
		p.Notice = p.T("appointment.settings_saved")
	}
	p.Form, p.Errors = form, errs
	m.s.Render.Page(w, r, status, "appointment/agent_settings", p)
	return nil
}

func (m *Module) agentSettings(w http.ResponseWriter, r *http.Request) error {
	a, err := m.agentAgenda(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	errs := map[string]string{}
	num := func(field string, unit time.Duration) time.Duration {
		n, err := strconv.Atoi(strings.TrimSpace(f.Get(field)))
		if err != nil {
			errs[field] = "Indiquez un nombre entier."
		}
		return time.Duration(n) * unit
	}
	u := *a
	u.Name, u.Service, u.Place, u.Description = strings.TrimSpace(f.Get("name")), strings.TrimSpace(f.Get("service")),
		strings.TrimSpace(f.Get("place")), strings.TrimSpace(f.Get("description"))
	u.Step, u.Buffer = num("step", time.Minute), num("buffer", time.Minute)
	u.MinNotice, u.Hold = num("notice", time.Hour), num("hold", time.Minute)
	u.WindowDays = int(num("window", 1))
	rel, ok := parseHHMM(f.Get("release"))
	if !ok || rel >= 1440 {
		errs["release"] = "Indiquez une heure, par exemple 08:00."
	}
	u.ReleaseMinute = rel
	u.Reminders = nil
	for _, part := range strings.Split(f.Get("reminders"), ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		n, err := strconv.Atoi(part)
		if err != nil || n <= 0 || n > 24*14 {
			errs["reminders"] = "Indiquez des nombres d'heures séparés par des virgules, par exemple 48, 2."
			break
		}
		u.Reminders = append(u.Reminders, time.Duration(n)*time.Hour)
	}
	u.ConfirmHold, u.GuestsPerDay = num("confirm_hold", time.Minute), int(num("guests_per_day", 1))
	u.ServiceKey = f.Get("service_key")
	if !slices.ContainsFunc(serviceKeys(r, nil), func(o option) bool { return o.Value == u.ServiceKey }) {
		errs["service_key"] = "Choisissez un service de la liste."
	}
	u.AlsaceMoselle, u.Active = f.Get("alsace") == "1", f.Get("active") == "1"
	u.Hours = parseWeek(f, errs, m.s.Render.T(web.LangOf(r), "appointment.err_hours_ranges"))
	if len(errs) == 0 {
		err = m.store.UpdateSettings(r.Context(), &u)
		if fields := guichet.FieldErrors(err); fields != nil {
			errs = fields
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return m.renderSettings(w, r, http.StatusUnprocessableEntity, a, f, errs)
	}
	m.s.Record(r, "appointment.settings_saved", a.Slug)
	return web.Redirect(w, r, "/gestion/rendez-vous/"+a.Slug+"/reglages?enregistre=1")
}

// serviceKeys are the services an agenda may be given: any for an
// administrator, theirs for an agent. Labels are written when p is given.
func serviceKeys(r *http.Request, p *web.Page) []option {
	sc := scope(r)
	var out []option
	for _, key := range staff.Services {
		if sc.All || slices.Contains(sc.Services, key) {
			o := option{Value: key}
			if p != nil {
				o.Label = p.T("backoffice.service." + key)
			}
			out = append(out, o)
		}
	}
	return out
}

// resourceHoursRow is one resource in the settings' table of hours.
type resourceHoursRow struct{ Name, Hours, Path string }

// resourceHoursPath is the page of a resource's own weekly hours.
func resourceHoursPath(a *appointment.Agenda, res *appointment.Resource) string {
	return "/gestion/rendez-vous/" + a.Slug + "/ressources/" + res.ID + "/horaires"
}

// agendaResource returns the agenda and its resource named by the path.
func (m *Module) agendaResource(r *http.Request) (*appointment.Agenda, *appointment.Resource, error) {
	a, err := m.agentAgenda(r)
	if err != nil {
		return nil, nil, err
	}
	res := a.Resource(r.PathValue("resource"))
	if res == nil {
		return nil, nil, guichet.Errorf(guichet.ENotFound, "Guichet introuvable.")
	}
	return a, res, nil
}

func (m *Module) agentResourceHoursForm(w http.ResponseWriter, r *http.Request) error {
	a, res, err := m.agendaResource(r)
	if err != nil {
		return err
	}
	f := url.Values{}
	setWeek(f, res.Hours)
	return m.renderResourceHours(w, r, http.StatusOK, a, res, f, nil)
}

func (m *Module) renderResourceHours(w http.ResponseWriter, r *http.Request, status int, a *appointment.Agenda,
	res *appointment.Resource, form url.Values, errs map[string]string) error {
	p := m.s.Render.NewPage(r, "", nil)
	var days []dayField
	for _, wd := range weekdays {
		agenda := dayRanges(a.Hours, wd)
		if agenda == "" {
			agenda = p.T("appointment.rh_closed")
		}
		days = append(days, dayField{Name: fmt.Sprintf("hours%d", wd), Label: p.T(fmt.Sprintf("appointment.weekday_%d", wd)),
			Hint: p.T("appointment.rh_agenda_day", agenda)})
	}
	p.Data = map[string]any{"Agenda": a, "Resource": res, "Days": days, "Path": resourceHoursPath(a, res),
		"Own": len(res.Hours) > 0}
	p.Title = p.T("appointment.rh_title", res.Name, a.Name)
	if len(errs) == 0 {
		switch r.URL.Query().Get("fait") {
		case "enregistre":
			p.Notice = p.T("appointment.rh_saved", res.Name)
		case "efface":
			p.Notice = p.T("appointment.rh_cleared", res.Name)
		}
	}
	p.Form, p.Errors = form, errs
	m.s.Render.Page(w, r, status, "appointment/agent_resource_hours", p)
	return nil
}

// dayField is one weekday's field of a form of hours.
type dayField struct{ Name, Label, Hint string }

// agentResourceHours saves a resource's own hours, or clears them (all
// days empty, or the clear button) so that it follows the agenda again.
func (m *Module) agentResourceHours(w http.ResponseWriter, r *http.Request) error {
	a, res, err := m.agendaResource(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	f := r.PostForm
	lang := web.LangOf(r)
	errs := map[string]string{}
	var hours []appointment.Hours
	if f.Get("action") != "clear" {
		hours = parseWeek(f, errs, m.s.Render.T(lang, "appointment.err_hours_ranges"))
	}
	if len(errs) == 0 {
		err = m.store.SetResourceHours(r.Context(), a.TenantID, a.ID, res.ID, hours)
		var ge *guichet.Error
		if errors.As(err, &ge) && ge.Code == guichet.EInvalid {
			errs["hours1"] = m.s.Render.T(lang, "appointment.err_hours_ranges")
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return m.renderResourceHours(w, r, http.StatusUnprocessableEntity, a, res, f, errs)
	}
	done := "enregistre"
	if len(hours) == 0 {
		done = "efface"
	}
	m.s.Record(r, "appointment.resource_hours_saved", a.Slug+" "+res.Name)
	return web.Redirect(w, r, resourceHoursPath(a, res)+"?fait="+done)
}

// typeCount is one line of the figures by type.
type typeCount struct {
	Name  string
	Count int
}

func (m *Module) agentFigures(w http.ResponseWriter, r *http.Request) error {
	a, err := m.agentAgenda(r)
	if err != nil {
		return err
	}
	_, loc := m.loc(r)
	days := 30
	if n, err := strconv.Atoi(r.URL.Query().Get("jours")); err == nil && n > 0 && n <= 366 {
		days = n
	}
	today := appointment.DayOf(m.store.Now(), loc)
	from := today.AddDays(-days)
	fig, err := m.store.Figures(r.Context(), a, from.Time(loc), today.AddDays(1).Time(loc))
	if err != nil {
		return err
	}
	var types []typeCount
	for _, t := range a.Types {
		types = append(types, typeCount{t.Name, fig.ByType[t.ID]})
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Agenda": a, "F": fig, "Types": types, "Days": days,
		"NoShow": guichet.Percent(fig.NoShowRate, 1, web.LangOf(r)), "Lead": guichet.Decimal(fig.LeadDays, 1, web.LangOf(r))})
	p.Title = p.T("appointment.figures_title", a.Name)
	m.s.Render.Page(w, r, http.StatusOK, "appointment/agent_figures", p)
	return nil
}
