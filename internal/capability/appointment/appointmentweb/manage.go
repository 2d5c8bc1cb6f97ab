package appointmentweb

import (
	"errors"
	"math"
	"net/http"

	"guichet"
	"guichet/internal/capability/appointment"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/web"
)

// managed loads the booking of the path's manage link, with its agenda.
func (m *Module) managed(r *http.Request) (*appointment.Booking, *appointment.Agenda, error) {
	t, _ := m.loc(r)
	b, err := m.store.ByToken(r.Context(), t.ID, r.PathValue("token"))
	if err != nil {
		return nil, nil, err
	}
	a, err := m.store.Agenda(r.Context(), t.ID, b.AgendaID)
	if err != nil {
		return nil, nil, err
	}
	return b, a, nil
}

func (m *Module) manage(w http.ResponseWriter, r *http.Request) error {
	b, a, err := m.managed(r)
	if err != nil {
		return err
	}
	return m.renderManage(w, r, http.StatusOK, b, a, "")
}

func (m *Module) renderManage(w http.ResponseWriter, r *http.Request, status int, b *appointment.Booking, a *appointment.Agenda, notice string) error {
	_, loc := m.loc(r)
	lang := web.LangOf(r)
	v := m.view(b, a, loc, lang)
	now := m.store.Now()
	pending := b.Status == appointment.StatusPending && b.HoldUntil != nil && now.Before(*b.HoldUntil)
	data := map[string]any{"B": v, "Changeable": b.Changeable(now), "Confirmed": r.URL.Query().Get("confirme") == "1",
		"StatusKey": statusKey(b.Status), "Held": b.Status == appointment.StatusHeld, "Pending": pending}
	if b.Status == appointment.StatusPending && !pending {
		data["StatusKey"], data["Changeable"] = "appointment.status_expired", false
	}
	if b.HoldUntil != nil {
		data["HoldUntil"] = guichet.LongDate(b.HoldUntil.In(loc), lang) + " " + b.HoldUntil.In(loc).Format("15:04")
	}
	p := m.s.Render.NewPage(r, "", data)
	p.Title = p.T("appointment.manage_title")
	flow(p)
	if pending {
		until := b.HoldUntil.In(loc).Format("15:04")
		if appointment.DayOf(*b.HoldUntil, loc) != appointment.DayOf(now, loc) {
			until = p.T("appointment.on_at", guichet.LongDate(b.HoldUntil.In(loc), lang), until)
		}
		left := int(math.Ceil(b.HoldUntil.Sub(now).Minutes()))
		data["PendingText"] = p.T("appointment.pending_text", b.Email, left, until)
		if code := r.PathValue("code"); code != "" && m.store.CheckConfirmCode(b, code) {
			data["ConfirmAction"] = "/rendez-vous/gerer/" + v.Token + "/confirmer/" + code
			data["ConfirmText"] = p.T("appointment.confirm_text", until)
		}
	}
	if notice != "" {
		p.Notice = p.T(notice)
	}
	m.s.Render.Page(w, r, status, "appointment/manage", p)
	return nil
}

// confirmForm is the page of the link emailed to a guest: their booking,
// and the button that confirms it.
func (m *Module) confirmForm(w http.ResponseWriter, r *http.Request) error {
	b, a, err := m.managed(r)
	if err != nil {
		return err
	}
	if !m.store.CheckConfirmCode(b, r.PathValue("code")) {
		return appointment.ErrNotFound
	}
	if b.Status == appointment.StatusPending && b.HoldUntil != nil && !m.store.Now().Before(*b.HoldUntil) {
		return m.renderManage(w, r, http.StatusConflict, b, a, "appointment.hold_expired")
	}
	return m.renderManage(w, r, http.StatusOK, b, a, "")
}

// confirm turns a guest's pending booking into a booking.
func (m *Module) confirm(w http.ResponseWriter, r *http.Request) error {
	b, a, err := m.managed(r)
	if err != nil {
		return err
	}
	err = m.store.ConfirmHold(r.Context(), b, r.PathValue("code"))
	if errors.Is(err, appointment.ErrHoldExpired) {
		return m.renderManage(w, r, http.StatusConflict, b, a, "appointment.hold_expired")
	}
	if err != nil {
		return err
	}
	return web.Redirect(w, r, "/rendez-vous/gerer/"+r.PathValue("token")+"?confirme=1")
}

// icsFile downloads the booking as an .ics (PUBLISH would not update an
// invitation already imported: the same REQUEST as in the email is sent).
func (m *Module) icsFile(w http.ResponseWriter, r *http.Request) error {
	b, a, err := m.managed(r)
	if err != nil {
		return err
	}
	t, _ := m.loc(r)
	method := "REQUEST"
	if b.Status == appointment.StatusCancelled {
		method = "CANCEL"
	}
	typ := a.Type(b.TypeID)
	name := a.Name
	if typ != nil {
		name = typ.Name + " – " + a.Name
	}
	org := t.Email
	if org == "" {
		org = "mairie@" + t.Slug + ".invalid"
	}
	inv := &appointment.Invitation{UID: b.ID + "@" + r.Host, Sequence: b.Sequence, Method: method, Start: b.Start, End: b.End,
		Summary: name, Location: a.Place, Description: "Réf. " + b.Reference, Organizer: org, OrgName: t.Name,
		Attendee: b.Email, AttName: b.Name, Stamp: m.store.Now()}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8; method="+method)
	w.Header().Set("Content-Disposition", `attachment; filename="rendez-vous.ics"`)
	_, err = w.Write(inv.ICS())
	return err
}

func (m *Module) cancel(w http.ResponseWriter, r *http.Request) error {
	b, a, err := m.managed(r)
	if err != nil {
		return err
	}
	if err := m.store.Cancel(r.Context(), b, "resident"); err != nil {
		if errors.Is(err, appointment.ErrNotCancelled) {
			return m.renderManage(w, r, http.StatusConflict, b, a, "appointment.not_changeable")
		}
		return err
	}
	return m.renderManage(w, r, http.StatusOK, b, a, "appointment.cancelled_notice")
}

func (m *Module) accept(w http.ResponseWriter, r *http.Request) error {
	b, a, err := m.managed(r)
	if err != nil {
		return err
	}
	typ := a.Type(b.TypeID)
	if typ == nil {
		return appointment.ErrNotFound
	}
	err = m.store.AcceptOffer(r.Context(), b, typ)
	var ge *guichet.Error
	if errors.As(err, &ge) && ge.Code == guichet.EConflict {
		return m.renderManage(w, r, http.StatusConflict, b, a, "appointment.offer_expired")
	}
	if err != nil {
		return err
	}
	return m.renderManage(w, r, http.StatusOK, b, a, "appointment.offer_accepted")
}

func (m *Module) moveForm(w http.ResponseWriter, r *http.Request) error {
	b, a, err := m.managed(r)
	if err != nil {
		return err
	}
	typ := a.Type(b.TypeID)
	if typ == nil || !b.Changeable(m.store.Now()) || b.Status != appointment.StatusBooked {
		return m.renderManage(w, r, http.StatusConflict, b, a, "appointment.not_changeable")
	}
	token := r.PathValue("token")
	if d := r.URL.Query().Get("debut"); d != "" {
		start, err := chosen(d)
		if err != nil {
			return err
		}
		_, loc := m.loc(r)
		lang := web.LangOf(r)
		p := m.s.Render.NewPage(r, "", map[string]any{"B": m.view(b, a, loc, lang), "Start": d,
			"NewDate": capitalize(guichet.LongDate(start.In(loc), lang)), "NewTime": timeLabel(start, loc)})
		p.Title = p.T("appointment.move_confirm_title")
		m.s.Render.Page(w, r, http.StatusOK, "appointment/move", p)
		return nil
	}
	return m.renderSlots(w, r, a, typ, "/rendez-vous/gerer/"+token+"/deplacer", token, b, false)
}

func (m *Module) move(w http.ResponseWriter, r *http.Request) error {
	b, a, err := m.managed(r)
	if err != nil {
		return err
	}
	typ := a.Type(b.TypeID)
	if typ == nil {
		return appointment.ErrNotFound
	}
	if err := web.ParseForm(r); err != nil {
		return err
	}
	start, err := chosen(r.PostForm.Get("debut"))
	if err != nil {
		return err
	}
	if err := m.allow(r, abuse.Booking, ""); err != nil {
		return err
	}
	_, loc := m.loc(r)
	req := &appointment.Request{Agenda: a, Type: typ, Loc: loc, Start: start}
	err = m.store.Move(r.Context(), b, req)
	switch {
	case errors.Is(err, appointment.ErrSlotTaken), errors.Is(err, appointment.ErrSlotInvalid):
		return m.renderSlots(w, r, a, typ, "/rendez-vous/gerer/"+r.PathValue("token")+"/deplacer", r.PathValue("token"), b, true)
	case errors.Is(err, appointment.ErrNotCancelled):
		return m.renderManage(w, r, http.StatusConflict, b, a, "appointment.not_changeable")
	case err != nil:
		return err
	}
	return m.renderManage(w, r, http.StatusOK, b, a, "appointment.moved_notice")
}
