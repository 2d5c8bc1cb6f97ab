package queueweb

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"guichet"
	"guichet/internal/capability/queue"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/web"
)

// kioskOf returns the kiosk of the path's address and its site.
func (m *Module) kioskOf(r *http.Request) (*queue.Kiosk, *queue.Site, error) {
	k, err := m.store.KioskByHandle(r.Context(), tenantID(r), r.PathValue("kiosk"))
	if err != nil {
		return nil, nil, err
	}
	site, err := m.store.Site(r.Context(), k.TenantID, k.SiteID)
	return k, site, err
}

// kioskPage is a kiosk page with what its layout needs: the home
// address, the inactivity delay, the other language's link.
func (m *Module) kioskPage(r *http.Request, k *queue.Kiosk, site *queue.Site, data map[string]any) *web.Page {
	home := "/borne/" + r.PathValue("kiosk")
	data["Kiosk"], data["Site"], data["Home"] = k, site, home
	data["Idle"] = strconv.Itoa(int(k.Idle.Seconds()))
	// The reset goes through the French switch: the next visitor finds
	// the kiosk as it stands by default.
	data["Reset"] = "/langue/fr?suite=" + home
	other := "en"
	if web.LangOf(r) == "en" {
		other = "fr"
	}
	data["OtherLang"], data["Switch"] = other, "/langue/"+other+"?suite="+r.URL.Path
	return m.s.Render.NewPage(r, "", data)
}

// kioskHome is a kiosk's home: a button per service, the check-in, the
// practical information.
func (m *Module) kioskHome(w http.ResponseWriter, r *http.Request) error {
	return m.renderKioskHome(w, r, http.StatusOK, nil)
}

func (m *Module) renderKioskHome(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	k, site, err := m.kioskOf(r)
	if err != nil {
		return err
	}
	services, err := m.serviceViews(r, site)
	if err != nil {
		return err
	}
	p := m.kioskPage(r, k, site, map[string]any{"Services": services})
	p.Title = p.T("queue.kiosk.title")
	p.Errors = errs
	m.s.Render.Page(w, r, status, "queue/kiosk_home", p)
	return nil
}

// kioskAction returns the kiosk of a form posted to it, counted against
// the kiosks' limit.
func (m *Module) kioskAction(r *http.Request) (*queue.Kiosk, *queue.Site, error) {
	k, site, err := m.kioskOf(r)
	if err != nil {
		return nil, nil, err
	}
	if err := web.ParseForm(r); err != nil {
		return nil, nil, err
	}
	return k, site, m.s.Limit(r, abuse.KioskTicket, "")
}

// kioskTake gives a ticket and shows it, to print or to scan.
func (m *Module) kioskTake(w http.ResponseWriter, r *http.Request) error {
	k, site, err := m.kioskAction(r)
	if err != nil {
		return err
	}
	prio := queue.Normal
	if r.PostForm.Get("priority") == "1" {
		prio = queue.Priority
	}
	t, err := m.store.Take(r.Context(), queue.TakeInput{Site: site, ServiceID: r.PostForm.Get("service"), Source: queue.FromKiosk,
		Priority: prio, Lang: web.LangOf(r), Loc: loc(r)})
	if fields := guichet.FieldErrors(err); fields != nil {
		return m.renderKioskHome(w, r, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	return m.renderKioskTicket(w, r, k, site, t, false)
}

// renderKioskTicket shows a ticket just taken: its number, its wait, its
// QR code to follow it on a phone, and the print button (80 mm page).
// The answer to the POST is the ticket itself: a kiosk has no reload
// button, and the page returns home by itself.
func (m *Module) renderKioskTicket(w http.ResponseWriter, r *http.Request, k *queue.Kiosk, site *queue.Site, t *queue.Ticket, checkedIn bool) error {
	st, err := m.store.StatusOf(r.Context(), site, t, web.LangOf(r))
	if err != nil {
		return err
	}
	p := m.kioskPage(r, k, site, map[string]any{"Ticket": t, "Status": st, "CheckedIn": checkedIn})
	code, _, err := m.ticketCode(r, t, p.T("queue.ticket.code_label", t.Label))
	if err != nil {
		return err
	}
	data := p.Data.(map[string]any)
	data["Code"] = code
	data["Taken"] = t.CreatedAt.In(loc(r)).Format("15:04")
	if checkedIn {
		data["At"] = t.EligibleAt.In(loc(r)).Format("15:04")
	}
	p.Title = p.T("queue.ticket.title", t.Label)
	m.s.Render.Page(w, r, http.StatusOK, "queue/kiosk_ticket", p)
	return nil
}

// kioskCheckInForm asks for today's appointment reference: typed, or
// read from the confirmation's QR code by the kiosk's scanner (which
// types it and presses Enter).
func (m *Module) kioskCheckInForm(w http.ResponseWriter, r *http.Request) error {
	return m.renderCheckIn(w, r, http.StatusOK, nil)
}

func (m *Module) renderCheckIn(w http.ResponseWriter, r *http.Request, status int, errs map[string]string) error {
	k, site, err := m.kioskOf(r)
	if err != nil {
		return err
	}
	p := m.kioskPage(r, k, site, map[string]any{})
	p.Title = p.T("queue.checkin.title")
	p.Errors, p.Form = errs, r.PostForm
	m.s.Render.Page(w, r, status, "queue/kiosk_checkin", p)
	return nil
}

// kioskCheckIn marks today's appointment arrived and queues its holder,
// to be called first at its time.
func (m *Module) kioskCheckIn(w http.ResponseWriter, r *http.Request) error {
	k, site, err := m.kioskAction(r)
	if err != nil {
		return err
	}
	ref := strings.ToUpper(strings.TrimSpace(r.PostForm.Get("reference")))
	if ref == "" {
		return m.renderCheckIn(w, r, http.StatusUnprocessableEntity, map[string]string{"reference": "Indiquez la référence de votre rendez-vous."})
	}
	var received []string
	for _, svc := range site.Services {
		if svc.AppointmentService != "" {
			received = append(received, svc.AppointmentService)
		}
	}
	a, err := m.k.CheckInAppointment(r.Context(), site.TenantID, ref, loc(r), received)
	switch guichet.ErrorCode(err) {
	case guichet.ENotFound:
		return m.renderCheckIn(w, r, http.StatusUnprocessableEntity, map[string]string{"reference": guichet.ErrorMessage(queue.ErrNoCheckIn)})
	case guichet.EConflict:
		return m.renderCheckIn(w, r, http.StatusUnprocessableEntity, map[string]string{"reference": guichet.ErrorMessage(err)})
	}
	if err != nil {
		return err
	}
	t, err := m.store.CheckIn(r.Context(), site, &queue.Arrival{Reference: a.Reference, ServiceKey: a.ServiceKey, Start: a.Start}, web.LangOf(r), loc(r))
	if errors.Is(err, queue.ErrCheckInElsewhere) || guichet.ErrorCode(err) == guichet.EConflict {
		return m.renderCheckIn(w, r, http.StatusUnprocessableEntity, map[string]string{"reference": guichet.ErrorMessage(err)})
	}
	if err != nil {
		return err
	}
	return m.renderKioskTicket(w, r, k, site, t, true)
}

// kioskInformation shows the site's practical information.
func (m *Module) kioskInformation(w http.ResponseWriter, r *http.Request) error {
	k, site, err := m.kioskOf(r)
	if err != nil {
		return err
	}
	p := m.kioskPage(r, k, site, map[string]any{"Paragraphs": paragraphs(site.Information), "Hours": lines(site.Hours)})
	p.Title = p.T("queue.kiosk.information")
	m.s.Render.Page(w, r, http.StatusOK, "queue/kiosk_information", p)
	return nil
}

// paragraphs splits plain text on blank lines.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// lines splits plain text on line breaks.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
