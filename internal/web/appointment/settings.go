package appointmentweb

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/appointment"
	"guichet/internal/web"
)

// exceptionView is a closure, block or extra opening as listed.
type exceptionView struct {
	appointment.Exception
	Date, From, To, Resource string
}

func (m *Module) agentBlocks(w http.ResponseWriter, r *http.Request) error {
	a, _, err := m.agenda(r)
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
		v := exceptionView{Exception: e, Date: capitalize(appointment.LongDate(d.Time(loc), lang)),
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
	a, _, err := m.agenda(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
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
	var ge *guichet.Error
	if errors.As(err, &ge) && ge.Code == guichet.EInvalid {
		return m.renderBlocks(w, r, http.StatusUnprocessableEntity, a, f, ge.Fields)
	}
	if err != nil {
		return err
	}
	m.record(r, "appointment.exception_added", a.Slug+" "+e.Day)
	return web.Redirect(w, r, "/gestion/rendez-vous/"+a.Slug+"/blocages")
}

func (m *Module) agentUnblock(w http.ResponseWriter, r *http.Request) error {
	a, _, err := m.agenda(r)
	if err != nil {
		return err
	}
	if err := m.store.RemoveException(r.Context(), a.TenantID, a.ID, r.PathValue("id")); err != nil {
		return err
	}
	m.record(r, "appointment.exception_removed", a.Slug)
	return web.Redirect(w, r, "/gestion/rendez-vous/"+a.Slug+"/blocages")
}

// weekdays in the order of the settings form, Monday first.
var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

func settingsForm(a *appointment.Agenda) url.Values {
	f := url.Values{"name": {a.Name}, "service": {a.Service}, "place": {a.Place}, "description": {a.Description},
		"step": {strconv.Itoa(int(a.Step / time.Minute))}, "buffer": {strconv.Itoa(int(a.Buffer / time.Minute))},
		"notice": {strconv.Itoa(int(a.MinNotice / time.Hour))}, "window": {strconv.Itoa(a.WindowDays)},
		"release": {hhmm(a.ReleaseMinute)}, "hold": {strconv.Itoa(int(a.Hold / time.Minute))}}
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
	for _, wd := range weekdays {
		var parts []string
		for _, h := range a.Hours {
			if h.Weekday == wd {
				parts = append(parts, hhmm(h.Start)+"-"+hhmm(h.End))
			}
		}
		f.Set(fmt.Sprintf("hours%d", wd), strings.Join(parts, ", "))
	}
	return f
}

func (m *Module) agentSettingsForm(w http.ResponseWriter, r *http.Request) error {
	a, _, err := m.agenda(r)
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
	p.Data = map[string]any{"Agenda": a, "Days": days}
	p.Title = p.T("appointment.settings_title", a.Name)
	if r.URL.Query().Get("enregistre") == "1" && len(errs) == 0 {
		p.Notice = p.T("appointment.settings_saved")
	}
	p.Form, p.Errors = form, errs
	m.s.Render.Page(w, r, status, "appointment/agent_settings", p)
	return nil
}

func (m *Module) agentSettings(w http.ResponseWriter, r *http.Request) error {
	a, _, err := m.agenda(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
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
	u.AlsaceMoselle, u.Active = f.Get("alsace") == "1", f.Get("active") == "1"
	u.Hours = nil
	for _, wd := range weekdays {
		field := fmt.Sprintf("hours%d", wd)
		for _, rng := range strings.Split(f.Get(field), ",") {
			if rng = strings.TrimSpace(rng); rng == "" {
				continue
			}
			from, to, _ := strings.Cut(rng, "-")
			s, ok1 := parseHHMM(from)
			e, ok2 := parseHHMM(to)
			if !ok1 || !ok2 || s >= e {
				errs[field] = "Indiquez des plages comme 09:00-12:00, 13:30-17:00."
				break
			}
			u.Hours = append(u.Hours, appointment.Hours{Weekday: wd, Start: s, End: e})
		}
	}
	if len(errs) == 0 {
		err = m.store.UpdateSettings(r.Context(), &u)
		var ge *guichet.Error
		if errors.As(err, &ge) && ge.Code == guichet.EInvalid {
			errs = ge.Fields
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return m.renderSettings(w, r, http.StatusUnprocessableEntity, a, f, errs)
	}
	m.record(r, "appointment.settings_saved", a.Slug)
	return web.Redirect(w, r, "/gestion/rendez-vous/"+a.Slug+"/reglages?enregistre=1")
}

// typeCount is one line of the figures by type.
type typeCount struct {
	Name  string
	Count int
}

func (m *Module) agentFigures(w http.ResponseWriter, r *http.Request) error {
	a, _, err := m.agenda(r)
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
		"NoShow": fmt.Sprintf("%.1f", fig.NoShowRate), "Lead": fmt.Sprintf("%.1f", fig.LeadDays)})
	p.Title = p.T("appointment.figures_title", a.Name)
	m.s.Render.Page(w, r, http.StatusOK, "appointment/agent_figures", p)
	return nil
}
