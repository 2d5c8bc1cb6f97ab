package appointmentweb

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"guichet"
	"guichet/internal/capability/appointment"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/web"
)

type apiType struct {
	Slug      string   `json:"slug"`
	Name      string   `json:"name"`
	Minutes   int      `json:"minutes"`
	People    int      `json:"people"`
	ANTS      bool     `json:"ants_number_required"`
	Documents []string `json:"documents"`
}

type apiAgenda struct {
	Slug       string    `json:"slug"`
	Service    string    `json:"service"`
	Name       string    `json:"name"`
	Place      string    `json:"place"`
	WindowDays int       `json:"window_days"`
	Types      []apiType `json:"types"`
}

func (m *Module) apiAgendas(w http.ResponseWriter, r *http.Request) error {
	t, _ := m.loc(r)
	list, err := m.store.Agendas(r.Context(), t.ID, true)
	if err != nil {
		return err
	}
	out := []apiAgenda{}
	for _, a := range list {
		full, err := m.store.Agenda(r.Context(), t.ID, a.ID)
		if err != nil {
			return err
		}
		v := apiAgenda{Slug: a.Slug, Service: a.Service, Name: a.Name, Place: a.Place, WindowDays: a.WindowDays, Types: []apiType{}}
		for _, typ := range full.Types {
			v.Types = append(v.Types, apiType{Slug: typ.Slug, Name: typ.Name, Minutes: typ.Minutes(), People: typ.People,
				ANTS: typ.ANTS, Documents: append([]string{}, typ.DocumentList()...)})
		}
		out = append(out, v)
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"agendas": out})
	return nil
}

type apiSlot struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Free  int       `json:"free"`
}

type apiConflict struct {
	Alternatives []apiSlot `json:"alternatives"`
	Error        struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func apiSlots(slots []appointment.Slot, typ *appointment.Type) []apiSlot {
	out := make([]apiSlot, 0, len(slots))
	for _, s := range slots {
		out = append(out, apiSlot{Start: s.Start, End: s.Start.Add(typ.Duration), Free: s.FreeCount()})
	}
	return out
}

func (m *Module) apiSlots(w http.ResponseWriter, r *http.Request) error {
	a, typ, err := m.agenda(r)
	if err != nil {
		return err
	}
	_, loc := m.loc(r)
	now := m.store.Now()
	from, to := appointment.DayOf(now, loc), appointment.NewCalendar(a, loc, nil).LastDay(now)
	q := r.URL.Query()
	if v := q.Get("du"); v != "" {
		if from, err = appointment.ParseDay(v); err != nil {
			return guichet.Invalid(map[string]string{"du": "Date attendue au format AAAA-MM-JJ."})
		}
	}
	if v := q.Get("au"); v != "" {
		if to, err = appointment.ParseDay(v); err != nil {
			return guichet.Invalid(map[string]string{"au": "Date attendue au format AAAA-MM-JJ."})
		}
	}
	if from.AddDays(366).Before(to) {
		return guichet.Invalid(map[string]string{"au": "La période demandée dépasse un an."})
	}
	slots, _, err := m.store.Free(r.Context(), a, loc, typ, from, to)
	if err != nil {
		return err
	}
	writeSlotList(w, slots, typ.Duration, loc.String())
	return nil
}

type apiBookingIn struct {
	Agenda string    `json:"agenda"`
	Type   string    `json:"type"`
	Start  time.Time `json:"start"`
	Name   string    `json:"name"`
	Email  string    `json:"email"`
	Phone  string    `json:"phone"`
	ANTS   string    `json:"ants_number"`
}

type apiBookingOut struct {
	Reference string    `json:"reference"`
	Agenda    string    `json:"agenda"`
	Type      string    `json:"type"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Status    string    `json:"status"`
	Name      string    `json:"name"`
	Token     string    `json:"manage_token"`
	ManageURL string    `json:"manage_url"`
	// HoldUntil: a guest's booking is pending until they confirm the
	// link emailed to them, at the latest then.
	HoldUntil *time.Time `json:"hold_until,omitempty"`
}

func (m *Module) apiOut(r *http.Request, b *appointment.Booking, a *appointment.Agenda) apiBookingOut {
	t, _ := m.loc(r)
	token := m.store.ManageToken(b)
	out := apiBookingOut{Reference: b.Reference, Agenda: a.Slug, Start: b.Start, End: b.End, Status: b.Status, Name: b.Name,
		Token: token, ManageURL: m.s.SiteURL(r, t) + "/rendez-vous/gerer/" + token, HoldUntil: b.HoldUntil}
	if typ := a.Type(b.TypeID); typ != nil {
		out.Type = typ.Slug
	}
	return out
}

func (m *Module) apiBook(w http.ResponseWriter, r *http.Request) error {
	var in apiBookingIn
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10)).Decode(&in); err != nil {
		return guichet.Errorf(guichet.EInvalid, "Corps JSON invalide.")
	}
	if err := m.allow(r, abuse.Booking, in.Email); err != nil {
		return err
	}
	t, _ := m.loc(r)
	a, err := m.store.Agenda(r.Context(), t.ID, in.Agenda)
	if err != nil || !a.Active {
		return guichet.Invalid(map[string]string{"agenda": "Agenda inconnu."})
	}
	typ := a.Type(in.Type)
	if typ == nil {
		return guichet.Invalid(map[string]string{"type": "Type de rendez-vous inconnu."})
	}
	req, errs := m.request(r, a, typ, in.Start.UTC(), appointment.Contact{Name: in.Name, Email: in.Email, Phone: in.Phone, ANTS: in.ANTS})
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	b, err := m.store.Book(r.Context(), req)
	if errors.Is(err, appointment.ErrSlotTaken) || errors.Is(err, appointment.ErrSlotInvalid) {
		return m.apiTaken(w, r, a, typ, in.Start, err)
	}
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusCreated, m.apiOut(r, b, a))
	return nil
}

// apiTaken answers a time just taken, or never offered, with the next
// free ones.
func (m *Module) apiTaken(w http.ResponseWriter, r *http.Request, a *appointment.Agenda, typ *appointment.Type, start time.Time, err error) error {
	next, nerr := m.nextFree(r, a, typ, start, 8)
	if nerr != nil {
		return nerr
	}
	out := apiConflict{Alternatives: apiSlots(next, typ)}
	out.Error.Code, out.Error.Message = guichet.EConflict, m.s.Render.Cat.Sentence(web.LangOf(r), guichet.ErrorMessage(err))
	web.WriteJSON(w, http.StatusConflict, out)
	return nil
}

// apiMove moves a booking, by the secret of its manage link, to another
// free time of its type.
func (m *Module) apiMove(w http.ResponseWriter, r *http.Request) error {
	b, a, err := m.managed(r)
	if err != nil {
		return err
	}
	var in struct {
		Start time.Time `json:"start"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&in); err != nil || in.Start.IsZero() {
		return guichet.Invalid(map[string]string{"start": "Indiquez le nouvel horaire au format RFC 3339, par exemple 2026-12-03T09:20:00+01:00."})
	}
	if err := m.allow(r, abuse.Booking, ""); err != nil {
		return err
	}
	typ := a.Type(b.TypeID)
	if typ == nil {
		return appointment.ErrNotFound
	}
	_, loc := m.loc(r)
	err = m.store.Move(r.Context(), b, &appointment.Request{Agenda: a, Type: typ, Loc: loc, Start: in.Start.UTC()})
	if errors.Is(err, appointment.ErrSlotTaken) || errors.Is(err, appointment.ErrSlotInvalid) {
		return m.apiTaken(w, r, a, typ, in.Start, err)
	}
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, m.apiOut(r, b, a))
	return nil
}

func (m *Module) apiBooking(w http.ResponseWriter, r *http.Request) error {
	b, a, err := m.managed(r)
	if err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, m.apiOut(r, b, a))
	return nil
}

func (m *Module) apiCancel(w http.ResponseWriter, r *http.Request) error {
	b, a, err := m.managed(r)
	if err != nil {
		return err
	}
	if err := m.store.Cancel(r.Context(), b, "resident"); err != nil {
		return err
	}
	web.WriteJSON(w, http.StatusOK, m.apiOut(r, b, a))
	return nil
}
