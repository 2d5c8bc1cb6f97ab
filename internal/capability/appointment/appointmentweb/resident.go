package appointmentweb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"guichet"
	"guichet/internal/capability/appointment"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/web"
)

// timeView is one bookable time.
type timeView struct {
	Label string // 09:20, with the UTC offset on days the clocks change
	Value string // the start in RFC 3339, UTC
	Free  int
}

// dayView is one day of bookable times.
type dayView struct {
	Label string
	Times []timeView
}

func (m *Module) services(w http.ResponseWriter, r *http.Request) error {
	t, _ := m.loc(r)
	agendas, err := m.store.Agendas(r.Context(), t.ID, true)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Agendas": agendas})
	p.Title = p.T("appointment.services_title")
	flow(p)
	// The page shows of each agenda what the key holds; the language,
	// which gives the steps, is in the memo's own key.
	var key strings.Builder
	for _, a := range agendas {
		memoFields(&key, a.Slug, a.Name, a.Service, a.Place, a.Description)
	}
	m.s.Render.PageMemo(w, r, "appointment/services", p, key.String())
	return nil
}

// memoFields appends fields to a page memo's key, each ended by a zero
// byte, which no field holds: two different lists never give one key.
func memoFields(b *strings.Builder, fields ...string) {
	for _, f := range fields {
		b.WriteString(f)
		b.WriteByte(0)
	}
}

// agenda loads the path's active agenda and, when the path names one, its type.
func (m *Module) agenda(r *http.Request) (*appointment.Agenda, *appointment.Type, error) {
	t, _ := m.loc(r)
	a, err := m.store.Agenda(r.Context(), t.ID, r.PathValue("agenda"))
	if err != nil {
		return nil, nil, err
	}
	if !a.Active && !account.FromContext(r.Context()).IsStaff() {
		return nil, nil, guichet.Errorf(guichet.ENotFound, "Agenda introuvable.")
	}
	key := r.PathValue("type")
	if key == "" {
		return a, nil, nil
	}
	typ := a.Type(key)
	if typ == nil {
		return nil, nil, guichet.Errorf(guichet.ENotFound, "Type de rendez-vous introuvable.")
	}
	return a, typ, nil
}

func (m *Module) types(w http.ResponseWriter, r *http.Request) error {
	a, _, err := m.agenda(r)
	if err != nil {
		return err
	}
	p := m.s.Render.NewPage(r, a.Name, map[string]any{"Agenda": a})
	flow(p, "/rendez-vous", p.T("appointment.services_title"), "/rendez-vous/"+a.Slug, a.Name)
	// Kept like the services list: the key holds what the page shows of
	// the agenda and of each of its types.
	var key strings.Builder
	memoFields(&key, a.Slug, a.Name, a.Service, a.Place, a.Description)
	for _, t := range a.Types {
		memoFields(&key, t.Slug, t.Name, strconv.Itoa(t.Minutes()), t.Documents, strconv.FormatBool(t.ANTS))
	}
	m.s.Render.PageMemo(w, r, "appointment/types", p, key.String())
	return nil
}

// weekOf returns the Monday of d's week.
func weekOf(d appointment.Day) appointment.Day {
	return d.AddDays(-((int(d.Weekday()) + 6) % 7))
}

// days groups slots by local day, with labels in the page's language.
func days(slots []appointment.Slot, loc *time.Location, lang string) []dayView {
	var out []dayView
	var cur appointment.Day
	shift := false // the clocks change on cur
	for _, s := range slots {
		local := s.Start.In(loc)
		y, mo, d := local.Date()
		if day := (appointment.Day{Year: y, Month: mo, Day: d}); len(out) == 0 || day != cur {
			cur, shift = day, clocksChange(day, loc)
			out = append(out, dayView{Label: capitalize(guichet.LongDate(local, lang))})
		}
		out[len(out)-1].Times = append(out[len(out)-1].Times, timeView{Label: wallTime(local, shift),
			Value: s.Start.UTC().Format(time.RFC3339), Free: s.FreeCount()})
	}
	return out
}

// timeLabel writes 09:20; on a day the clocks change it adds the UTC
// offset, since the same wall time may happen twice.
func timeLabel(t time.Time, loc *time.Location) string {
	return wallTime(t.In(loc), clocksChange(appointment.DayOf(t, loc), loc))
}

// clocksChange reports whether the UTC offset of loc changes during d.
func clocksChange(d appointment.Day, loc *time.Location) bool {
	_, off0 := d.Time(loc).Zone()
	_, off1 := d.AddDays(1).Time(loc).Zone()
	return off0 != off1
}

// wallTime writes local as 09:20, with its UTC offset when shift.
func wallTime(local time.Time, shift bool) string {
	if !shift {
		return local.Format("15:04")
	}
	return local.Format("15:04") + " (UTC" + local.Format("-07:00") + ")"
}

// pickDay is one day of the time-choosing page: its free times, each a
// link to pick it. Its label and links are written only when the page is
// rendered, not when a copy kept by the page memo is served.
type pickDay struct {
	day   appointment.Day
	slots []appointment.Slot
	loc   *time.Location
	lang  string
	href  string // the links' path, a slug's or a token's: the time follows as ?debut=
}

// pickDays splits sorted slots by local day.
func pickDays(slots []appointment.Slot, loc *time.Location, lang, href string) []pickDay {
	var out []pickDay
	for len(slots) > 0 {
		d := appointment.DayOf(slots[0].Start, loc)
		end := d.AddDays(1).Time(loc)
		n := sort.Search(len(slots), func(k int) bool { return !slots[k].Start.Before(end) })
		out = append(out, pickDay{day: d, slots: slots[:n:n], loc: loc, lang: lang, href: href})
		slots = slots[n:]
	}
	return out
}

// Label is the day in the page's language.
func (d pickDay) Label() string { return capitalize(guichet.LongDate(d.day.Time(d.loc), d.lang)) }

// Links writes the day's times as list items, as the template would,
// without a reflective call per escape and per field for each of the
// hundred times of a week: that was most of the page's cost.
func (d pickDay) Links() template.HTML {
	shift := clocksChange(d.day, d.loc)
	h := template.HTMLEscapeString(d.href) + "?debut="
	var b strings.Builder
	b.Grow(len(d.slots) * (len(h) + 96))
	for _, s := range d.slots {
		b.WriteString("\n<li><a class=\"button button-secondary\" href=\"")
		b.WriteString(h)
		queryEscape(&b, s.Start.UTC().Format(time.RFC3339))
		b.WriteString("\">")
		b.WriteString(template.HTMLEscapeString(wallTime(s.Start.In(d.loc), shift)))
		b.WriteString("</a></li>")
	}
	return template.HTML(b.String()) // every part escaped above
}

// queryEscape writes v escaped for a query string as html/template does
// (unreserved characters as they are, others as lower-case %xx), so that
// the links read the same as those the template wrote.
func queryEscape(b *strings.Builder, v string) {
	const hex = "0123456789abcdef"
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (m *Module) slots(w http.ResponseWriter, r *http.Request) error {
	a, typ, err := m.agenda(r)
	if err != nil {
		return err
	}
	return m.renderSlots(w, r, a, typ, "/rendez-vous/"+a.Slug+"/"+typ.Slug, "", nil, false)
}

// renderSlots shows one week of free times, each a link to pick (under
// base + "/coordonnees", or moveBase for a move).
func (m *Module) renderSlots(w http.ResponseWriter, r *http.Request, a *appointment.Agenda, typ *appointment.Type,
	base, moveToken string, booking *appointment.Booking, taken bool) error {
	_, loc := m.loc(r)
	now := m.store.Now()
	today := appointment.DayOf(now, loc)
	cal := appointment.NewCalendar(a, loc, nil)
	last := cal.LastDay(now)
	all, _, err := m.store.Free(r.Context(), a, loc, typ, today, last)
	if err != nil {
		return err
	}
	week := weekOf(today)
	if q := r.URL.Query().Get("semaine"); q != "" {
		if d, err := appointment.ParseDay(q); err == nil {
			week = weekOf(d)
		}
	} else if len(all) > 0 {
		week = weekOf(appointment.DayOf(all[0].Start, loc))
	}
	from, to := week.Time(loc), week.AddDays(7).Time(loc)
	// The week's times, shared with the list of the whole window.
	i := sort.Search(len(all), func(k int) bool { return !all[k].Start.Before(from) })
	j := i + sort.Search(len(all)-i, func(k int) bool { return !all[i+k].Start.Before(to) })
	shown := all[i:j:j]
	lang := web.LangOf(r)
	pick := base
	if moveToken == "" {
		pick += "/coordonnees"
	}
	data := map[string]any{"Agenda": a, "Type": typ, "Days": pickDays(shown, loc, lang, pick), "Base": base,
		"Week": capitalize(guichet.LongDate(from, lang)), "Any": len(all) > 0, "MoveToken": moveToken, "Booking": booking}
	var prev, next string
	if weekOf(today).Before(week) {
		prev = week.AddDays(-7).String()
	}
	if week.AddDays(7).Before(last.AddDays(1)) {
		next = week.AddDays(7).String()
	}
	data["Prev"], data["Next"] = prev, next
	var first dayView
	if len(all) > 0 {
		first = days(all[:1], loc, lang)[0]
		data["First"] = first
	}
	status := http.StatusOK
	if taken {
		// A move lost its race: say so above the times still free.
		status, data["Taken"] = http.StatusConflict, true
	}
	p := m.s.Render.NewPage(r, "", data)
	p.Title = p.T("appointment.slots_title", typ.Name)
	flow(p, "/rendez-vous", p.T("appointment.services_title"), "/rendez-vous/"+a.Slug, a.Name,
		"/rendez-vous/"+a.Slug+"/"+typ.Slug, typ.Name)
	if moveToken != "" || taken {
		m.s.Render.Page(w, r, status, "appointment/slots", p)
		return nil
	}
	// Between two changes of the free times, a rush asks for the same
	// week thousands of times. The key holds all that the page shows (the
	// title, language and collectivité, whose time zone writes the times,
	// are in the memo's own key): the start of every time shown included,
	// so a page kept is never out of date.
	var key strings.Builder
	key.Grow(256 + 8*len(shown))
	memoFields(&key, a.Slug, a.Name, a.Place, typ.Slug, typ.Name, strconv.Itoa(typ.Minutes()), pick,
		data["Week"].(string), prev, next, strconv.FormatBool(len(all) > 0))
	if len(first.Times) > 0 {
		memoFields(&key, first.Label, first.Times[0].Label, first.Times[0].Value)
	}
	appendStarts(&key, shown)
	m.s.Render.PageMemo(w, r, "appointment/slots", p, key.String())
	return nil
}

// chosen reads the picked start time of a form or query.
func chosen(v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, guichet.Errorf(guichet.EInvalid, "Choisissez un horaire dans la liste.")
	}
	return t.UTC(), nil
}

func (m *Module) detailsForm(w http.ResponseWriter, r *http.Request) error {
	a, typ, err := m.agenda(r)
	if err != nil {
		return err
	}
	form := url.Values{"debut": {r.URL.Query().Get("debut")}}
	id := account.FromContext(r.Context())
	if id != nil {
		form.Set("name", id.Name)
		form.Set("email", id.Email)
		return m.renderDetails(w, r, http.StatusOK, a, typ, form, nil, "")
	}
	return m.guestDetails(w, r, a, typ, form.Get("debut"))
}

// guestDetails shows a signed-out visitor the empty details form of a
// time. In a rush, each visitor opens it for one of the few times just
// released, and a loser for another: the page memo serves it, keyed by
// everything it shows, for a time the agenda offers (free or taken, which
// the form does not say); any other is rendered, so that made-up times do
// not fill the memo.
func (m *Module) guestDetails(w http.ResponseWriter, r *http.Request, a *appointment.Agenda, typ *appointment.Type, debut string) error {
	start, err := chosen(debut)
	if err != nil {
		return err
	}
	_, loc := m.loc(r)
	offered, err := m.store.Offers(r.Context(), a, loc, typ, start)
	if err != nil {
		return err
	}
	p := m.detailsPage(r, a, typ, start, debut)
	if !offered || debut != start.Format(time.RFC3339) { // one key per time: as the links write it
		m.s.Render.Page(w, r, http.StatusOK, "appointment/details", p)
		return nil
	}
	d := p.Data.(map[string]any)
	var key strings.Builder
	memoFields(&key, a.Slug, a.Name, a.Place, typ.Slug, typ.Name, strconv.Itoa(typ.Minutes()), strconv.FormatBool(typ.ANTS),
		typ.Documents, d["Date"].(string), d["Time"].(string), debut, d["Action"].(string), strconv.Itoa(d["ConfirmMinutes"].(int)))
	m.s.Render.PageMemo(w, r, "appointment/details", p, key.String())
	return nil
}

func (m *Module) renderDetails(w http.ResponseWriter, r *http.Request, status int, a *appointment.Agenda, typ *appointment.Type,
	form url.Values, errs map[string]string, problem string) error {
	start, err := chosen(form.Get("debut"))
	if err != nil {
		return err
	}
	p := m.detailsPage(r, a, typ, start, form.Get("debut"))
	p.Data.(map[string]any)["Problem"] = problem
	p.Form, p.Errors = form, errs
	m.s.Render.Page(w, r, status, "appointment/details", p)
	return nil
}

// detailsPage is the details form of the time start (as debut wrote it),
// without values, errors or problem.
func (m *Module) detailsPage(r *http.Request, a *appointment.Agenda, typ *appointment.Type, start time.Time, debut string) *web.Page {
	_, loc := m.loc(r)
	lang := web.LangOf(r)
	p := m.s.Render.NewPage(r, "", map[string]any{"Agenda": a, "Type": typ, "Date": capitalize(guichet.LongDate(start.In(loc), lang)),
		"Time": timeLabel(start, loc), "Start": debut, "Problem": "",
		"Action": "/rendez-vous/" + a.Slug + "/" + typ.Slug + "/coordonnees", "Verified": verified(r),
		"ConfirmMinutes": int(a.ConfirmHold / time.Minute)})
	p.Title = p.T("appointment.details_title")
	flow(p)
	return p
}

func (m *Module) book(w http.ResponseWriter, r *http.Request) error {
	a, typ, err := m.agenda(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	start, err := chosen(r.PostForm.Get("debut"))
	if err != nil {
		return err
	}
	if err := m.allow(r, abuse.Booking, r.PostForm.Get("email")); err != nil {
		return err
	}
	req, errs := m.request(r, a, typ, start, contact(r.PostForm))
	if len(errs) > 0 {
		return m.renderDetails(w, r, http.StatusUnprocessableEntity, a, typ, r.PostForm, errs, "")
	}
	b, err := m.store.Book(r.Context(), req)
	switch {
	case errors.Is(err, appointment.ErrSlotTaken), errors.Is(err, appointment.ErrSlotInvalid):
		return m.taken(w, r, a, typ, start)
	case errors.Is(err, appointment.ErrAlreadyHeld):
		p := m.s.Render.NewPage(r, "", nil)
		return m.renderDetails(w, r, http.StatusConflict, a, typ, r.PostForm, nil, p.T("appointment.already_held"))
	case errors.Is(err, appointment.ErrGuestLimit):
		return m.renderDetails(w, r, http.StatusConflict, a, typ, r.PostForm, nil,
			m.s.Render.Cat.Sentence(web.LangOf(r), guichet.ErrorMessage(err)))
	case guichet.FieldErrors(err) != nil:
		return m.renderDetails(w, r, http.StatusUnprocessableEntity, a, typ, r.PostForm, guichet.FieldErrors(err), "")
	case err != nil:
		return err
	}
	return web.Redirect(w, r, "/rendez-vous/gerer/"+m.store.ManageToken(b)+"?confirme=1")
}

// verified reports whether the request's person books without confirming
// by email: signed in with a verified address.
func verified(r *http.Request) bool {
	id := account.FromContext(r.Context())
	return id != nil && id.EmailVerified
}

// request builds the online booking request of the request's person,
// with its field errors (appointment.OnlineRequest says what a guest must
// give).
func (m *Module) request(r *http.Request, a *appointment.Agenda, typ *appointment.Type, start time.Time, c appointment.Contact) (*appointment.Request, map[string]string) {
	t, loc := m.loc(r)
	var by *appointment.Booker
	if id := account.FromContext(r.Context()); id != nil {
		by = &appointment.Booker{UserID: id.UserID, Email: id.Email, EmailVerified: id.EmailVerified}
	}
	return appointment.OnlineRequest(a, typ, loc, start, c, by, web.LangOf(r), m.s.SiteURL(r, t))
}

// contact reads the person's details of a form.
func contact(f url.Values) appointment.Contact {
	return appointment.Contact{Name: f.Get("name"), Email: f.Get("email"), Phone: f.Get("phone"), ANTS: f.Get("ants")}
}

// taken answers a lost race: the slot was just taken; here are the next free ones.
func (m *Module) taken(w http.ResponseWriter, r *http.Request, a *appointment.Agenda, typ *appointment.Type, start time.Time) error {
	_, loc := m.loc(r)
	next, err := m.nextFree(r, a, typ, start, 8)
	if err != nil {
		return err
	}
	base := "/rendez-vous/" + a.Slug + "/" + typ.Slug
	p := m.s.Render.NewPage(r, "", map[string]any{"Agenda": a, "Type": typ,
		"Days": pickDays(next, loc, web.LangOf(r), base+"/coordonnees"), "Base": base})
	p.Title = p.T("appointment.taken_title")
	// In a rush most answers are this one, with the same few times: kept
	// in the page memo like the time-choosing page, keyed by the times.
	var key strings.Builder
	memoFields(&key, base)
	appendStarts(&key, next)
	m.s.Render.PageMemo(&conflictWriter{ResponseWriter: w}, r, "appointment/taken", p, key.String())
	return nil
}

// appendStarts appends the instants of slots to a page memo's key, 8
// bytes each.
func appendStarts(key *strings.Builder, slots []appointment.Slot) {
	var unix [8]byte
	for _, s := range slots {
		binary.LittleEndian.PutUint64(unix[:], uint64(s.Start.Unix()))
		key.Write(unix[:])
	}
}

// conflictWriter answers 409 Conflict where a page would answer 200: the
// page memo, which serves the pages of successes, then serves a lost
// race's too.
type conflictWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *conflictWriter) WriteHeader(code int) {
	if code == http.StatusOK {
		code = http.StatusConflict
	}
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *conflictWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *conflictWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// nextFree returns up to n free slots from around start: the following
// ones first, then earlier ones if the rest of the window is full.
func (m *Module) nextFree(r *http.Request, a *appointment.Agenda, typ *appointment.Type, start time.Time, n int) ([]appointment.Slot, error) {
	_, loc := m.loc(r)
	now := m.store.Now()
	last := appointment.NewCalendar(a, loc, nil).LastDay(now)
	all, _, err := m.store.Free(r.Context(), a, loc, typ, appointment.DayOf(now, loc), last)
	if err != nil {
		return nil, err
	}
	// The first n after start, or failing that the first n from today.
	var out []appointment.Slot
	for i, s := range all {
		if s.Start.After(start) {
			out = all[i:]
			break
		}
	}
	if len(out) == 0 {
		out = all
	}
	return out[:min(n, len(out))], nil
}

func (m *Module) waitForm(w http.ResponseWriter, r *http.Request) error {
	a, typ, err := m.agenda(r)
	if err != nil {
		return err
	}
	form := url.Values{}
	if id := account.FromContext(r.Context()); id != nil {
		form.Set("name", id.Name)
		form.Set("email", id.Email)
	}
	return m.renderWait(w, r, http.StatusOK, a, typ, form, nil, false)
}

func (m *Module) renderWait(w http.ResponseWriter, r *http.Request, status int, a *appointment.Agenda, typ *appointment.Type,
	form url.Values, errs map[string]string, done bool) error {
	p := m.s.Render.NewPage(r, "", map[string]any{"Agenda": a, "Type": typ, "Done": done,
		"Hold": int(a.Hold / time.Minute)})
	p.Title = p.T("appointment.wait_title", typ.Name)
	p.Form, p.Errors = form, errs
	m.s.Render.Page(w, r, status, "appointment/wait", p)
	return nil
}

func (m *Module) wait(w http.ResponseWriter, r *http.Request) error {
	a, typ, err := m.agenda(r)
	if err != nil {
		return err
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	if err := m.allow(r, abuse.WaitingList, r.PostForm.Get("email")); err != nil {
		return err
	}
	t, _ := m.loc(r)
	wt := &appointment.Wait{TenantID: t.ID, AgendaID: a.ID, TypeID: typ.ID, Name: r.PostForm.Get("name"),
		Email: r.PostForm.Get("email"), Phone: r.PostForm.Get("phone"), Lang: web.LangOf(r), SiteURL: m.s.SiteURL(r, t)}
	if id := account.FromContext(r.Context()); id != nil {
		wt.UserID = id.UserID
	}
	err = m.store.JoinWaitlist(r.Context(), wt)
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderWait(w, r, http.StatusUnprocessableEntity, a, typ, r.PostForm, fields, false)
	}
	if err != nil {
		return err
	}
	return m.renderWait(w, r, http.StatusOK, a, typ, url.Values{}, nil, true)
}

// bookingView is a booking with what pages show about it.
type bookingView struct {
	*appointment.Booking
	Agenda     *appointment.Agenda
	Type       *appointment.Type
	Date, Time string
	Resource   string
	Token      string
}

func (m *Module) mine(w http.ResponseWriter, r *http.Request) error {
	t, loc := m.loc(r)
	id := account.FromContext(r.Context())
	list, err := m.store.OfUser(r.Context(), t.ID, id.UserID)
	if err != nil {
		return err
	}
	agendas := map[string]*appointment.Agenda{}
	var views []bookingView
	lang := web.LangOf(r)
	for _, b := range list {
		a := agendas[b.AgendaID]
		if a == nil {
			if a, err = m.store.Agenda(r.Context(), t.ID, b.AgendaID); err != nil {
				return err
			}
			agendas[b.AgendaID] = a
		}
		views = append(views, m.view(b, a, loc, lang))
	}
	p := m.s.Render.NewPage(r, "", map[string]any{"Bookings": views})
	p.Title = p.T("appointment.mine_title")
	m.s.Render.Page(w, r, http.StatusOK, "appointment/mine", p)
	return nil
}

func (m *Module) view(b *appointment.Booking, a *appointment.Agenda, loc *time.Location, lang string) bookingView {
	v := bookingView{Booking: b, Agenda: a, Type: a.Type(b.TypeID), Date: capitalize(guichet.LongDate(b.Start.In(loc), lang)),
		Time: timeLabel(b.Start, loc), Token: m.store.ManageToken(b)}
	if res := a.Resource(b.ResourceID); res != nil {
		v.Resource = res.Name
	}
	if v.Type == nil {
		v.Type = &appointment.Type{Name: "?"}
	}
	return v
}

// statusKey is the message key of a booking status.
func statusKey(s string) string { return fmt.Sprintf("appointment.status_%s", s) }
