package reports_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/reports"
)

// TestAreaAlerts: an alert is checked, waits for its link, then mails
// each new report in its circle of its category (or any), once per
// address, until its unsubscribe link ends it.
func TestAreaAlerts(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		road := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		light := e.category(e.town, "eclairage-panne", "technique", "")
		off := e.category(e.town, "ancienne", "technique", "")
		if err := e.s.DeactivateCategory(e.ctx, e.town, off.ID); err != nil {
			t.Fatal(err)
		}
		ok := reports.AreaAlert{Email: "Riveraine@Exemple.fr", Lat: centreLat, Lon: centreLon, Radius: 500, Lang: "en"}
		for field, mod := range map[string]func(*reports.AreaAlert){
			"email":    func(a *reports.AreaAlert) { a.Email = "riveraine" },
			"position": func(a *reports.AreaAlert) { a.Lat, a.Lon = 0, 0 },
			"category": func(a *reports.AreaAlert) { a.CategoryID = off.ID },
		} {
			a := ok
			mod(&a)
			if _, err := e.s.SubscribeArea(e.ctx, e.town, a); guichet.FieldErrors(err)[field] == "" {
				t.Errorf("%s: %v", field, err)
			}
		}
		for _, r := range []int{reports.MinRadius - 1, reports.MaxRadius + 1} {
			a := ok
			a.Radius = r
			if _, err := e.s.SubscribeArea(e.ctx, e.town, a); guichet.FieldErrors(err)["radius"] == "" {
				t.Errorf("radius %d: %v", r, err)
			}
		}
		token, err := e.s.SubscribeArea(e.ctx, e.town, ok)
		if err != nil {
			t.Fatal(err)
		}
		mails := e.out.take()
		if len(mails) != 1 || mails[0].To != "riveraine@exemple.fr" || mails[0].Lang != "en" ||
			linkToken(t, mails[0].Text, "https://ville.example"+reports.AlertConfirmPrefix) != token {
			t.Fatalf("confirmation: %+v", mails)
		}
		e.confirmed(e.town, draft(road, 100, "a@exemple.fr"))
		e.out.take()
		a, err := e.s.AreaAlertByLink(e.ctx, e.town, token)
		if err != nil || a.ConfirmedAt != nil || a.Radius != 500 || a.Email != "riveraine@exemple.fr" {
			t.Fatalf("by link: %+v, %v", a, err)
		}
		if err := e.s.ConfirmAreaAlert(e.ctx, e.town, token); err != nil {
			t.Fatal(err)
		}
		if err := e.s.ConfirmAreaAlert(e.ctx, e.town, token); !errors.Is(err, reports.ErrAlertConfirmed) {
			t.Errorf("second confirmation: %v", err)
		}
		// A second alert of the same address, for lights only: one mail.
		second := ok
		second.CategoryID, second.Radius = light.ID, 2000
		e.advance(time.Minute) // the first alert is older: its link is the one mailed
		e.alert2(second)
		e.confirmedKeep(e.town, draft(light, 450, "b@exemple.fr"))
		got := mailsTo(e.out.take(), "riveraine@exemple.fr", "area_alert")
		e.confirmedKeep(e.town, draft(road, 1500, "c@exemple.fr")) // outside the road alert's circle
		none := mailsTo(e.out.take(), "riveraine@exemple.fr", "area_alert")
		if len(got) != 1 || !strings.HasPrefix(got[0].Subject, "New report near you") || len(none) != 0 {
			t.Fatalf("alerts: %+v then %+v", got, none)
		}
		unsub := linkToken(t, got[0].Text, "https://ville.example"+reports.AlertUnsubscribePrefix)
		if err := e.s.UnsubscribeArea(e.ctx, e.town, unsub); err != nil {
			t.Fatal(err)
		}
		e.confirmedKeep(e.town, draft(road, 0, "d@exemple.fr"))
		roads := len(mailsTo(e.out.take(), "riveraine@exemple.fr", "area_alert"))
		e.confirmedKeep(e.town, draft(light, 0, "d@exemple.fr"))
		lights := len(mailsTo(e.out.take(), "riveraine@exemple.fr", "area_alert"))
		if roads != 0 || lights != 1 {
			t.Errorf("after unsubscribing the first alert: %d mails for a road, %d for a light", roads, lights)
		}
	})
}

// alert2 subscribes a and confirms it.
func (e *env) alert2(a reports.AreaAlert) {
	e.t.Helper()
	token, err := e.s.SubscribeArea(e.ctx, e.town, a)
	if err == nil {
		err = e.s.ConfirmAreaAlert(e.ctx, e.town, token)
	}
	if err != nil {
		e.t.Fatal(err)
	}
	e.out.take()
}

// confirmedKeep is confirmed leaving the mails in the outbox.
func (e *env) confirmedKeep(tenantID string, d reports.Draft) *reports.Report {
	e.t.Helper()
	_, token := e.submit(tenantID, d)
	e.out.take() // the confirmation link
	r, err := e.s.Confirm(e.ctx, tenantID, token)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}
