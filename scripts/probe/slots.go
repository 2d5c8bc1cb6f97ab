package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// hoardTries is how many passport slots a bot tries to take as a guest,
// each with another made-up pre-application number, email and address.
const hoardTries = 25

// guestsPerDay is the demo passport agenda's cap of guests' bookings a day.
const guestsPerDay = 10

// slotHoarding books passport slots as a guest with made-up numbers from
// many addresses: no guest booking may be confirmed before its emailed
// link is opened, no day may hold more than the agenda's guests, and a
// pre-application number already holding a booking is refused.
func (p *probe) slotHoarding() {
	fmt.Println("== passport slot hoarding:", hoardTries, "guest bookings from", hoardTries, "addresses")
	starts, err := p.freeTimes()
	if err != nil || len(starts) == 0 {
		p.check(false, "no free passport time to try: %v", err)
		return
	}
	const base = "/rendez-vous/passeports-cni/passeport-cni/coordonnees"
	accepted := 0
	for i := range hoardTries {
		form := url.Values{"debut": {starts[i%len(starts)]}, "name": {fmt.Sprintf("Robot %d", i)},
			"email": {fmt.Sprintf("robot-%d@courriel.localhost", i)}, "phone": {"06 12 34 56 78"},
			"ants": {fmt.Sprintf("ZZ%08d", i)}}
		status, _ := p.postForm(fmt.Sprintf("127.0.3.%d", i+1), base, form)
		if status == http.StatusSeeOther {
			accepted++
		}
		p.check(status < 500 && status != 0, "guest booking %d: status %d", i, status)
	}
	confirmed := p.count(`SELECT COUNT(*) FROM appointment_bookings WHERE name LIKE 'Robot %' AND status <> 'pending' AND status <> 'cancelled'`)
	p.check(confirmed == 0, "%d guest bookings were confirmed without their emailed link", confirmed)
	worstDay := p.count(`SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) AS n FROM appointment_bookings
		WHERE guest AND status IN ('pending', 'booked') GROUP BY agenda_id, substr(CAST(starts_at AS TEXT), 1, 10))`)
	p.check(worstDay <= guestsPerDay, "%d guests' bookings on one day, cap %d", worstDay, guestsPerDay)
	p.check(accepted < hoardTries, "all %d guest bookings were accepted", hoardTries)

	// The same pre-application number again, another day, another person.
	if len(starts) > 1 {
		form := url.Values{"debut": {starts[len(starts)-1]}, "name": {"Revendeur"}, "email": {"revendeur@courriel.localhost"},
			"phone": {"06 98 76 54 32"}, "ants": {"ZZ00000000"}}
		status, _ := p.postForm("127.0.3.200", base, form)
		p.check(status == http.StatusUnprocessableEntity || status == http.StatusConflict,
			"a pre-application number already holding a booking was accepted again (status %d)", status)
	}
}

// freeTimes reads the passport type's free times from the API.
func (p *probe) freeTimes() ([]string, error) {
	res, body, err := p.send(client("127.0.3.250"), http.MethodGet, p.town(),
		"/api/v1/rendez-vous/agendas/passeports-cni/types/passeport-cni/creneaux", nil, nil)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("free times: status %d", res.StatusCode)
	}
	var list struct {
		Slots []struct {
			Start string `json:"start"`
			Free  int    `json:"free"`
		} `json:"slots"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		return nil, err
	}
	var out []string
	for _, s := range list.Slots {
		if _, err := time.Parse(time.RFC3339, s.Start); err == nil && s.Free > 0 {
			out = append(out, s.Start)
		}
	}
	return out, nil
}
