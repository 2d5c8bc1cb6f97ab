package appointmentweb_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/appointment/appointmentweb"
)

func TestBookingAPI(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		// A resident signed in with a verified address: booked at once.
		b := e.Browser(e.Town).SignInDemo(t, "habitant@courriel.localhost")
		var agendas struct {
			Agendas []struct {
				Slug  string `json:"slug"`
				Types []struct {
					Slug string `json:"slug"`
					ANTS bool   `json:"ants_number_required"`
				} `json:"types"`
			} `json:"agendas"`
		}
		decode(t, b.Get("/api/v1/rendez-vous/agendas").Want(t, http.StatusOK).Body, &agendas)
		if len(agendas.Agendas) != 2 {
			t.Fatalf("agendas: %+v", agendas)
		}
		var slots struct {
			TimeZone string `json:"time_zone"`
			Slots    []struct {
				Start string `json:"start"`
				Free  int    `json:"free"`
			} `json:"slots"`
		}
		slotsBody := b.Get("/api/v1/rendez-vous/agendas/urbanisme/types/conseil/creneaux").Want(t, http.StatusOK).Body
		decode(t, slotsBody, &slots)
		if slots.TimeZone != "Europe/Paris" || len(slots.Slots) == 0 || slots.Slots[0].Free != 1 {
			t.Fatalf("slots: %+v", slots)
		}
		var starts []string
		for _, s := range slots.Slots {
			starts = append(starts, s.Start)
		}
		if got := startsIn([]byte(slotsBody)); !slices.Equal(got, starts) { // the rush's clients read answers so
			t.Errorf("startsIn read %v, want %v", got, starts)
		}
		b.Get("/api/v1/rendez-vous/agendas/urbanisme/types/conseil/creneaux?du=demain").Want(t, http.StatusUnprocessableEntity).
			WantBody(t, "Date attendue au format AAAA-MM-JJ.")
		english := e.Browser(e.Town)
		english.SetCookie("lang", "en")
		english.Get("/api/v1/rendez-vous/agendas/urbanisme/types/conseil/creneaux?du=demain").Want(t, http.StatusUnprocessableEntity).
			WantBody(t, "Date expected in the YYYY-MM-DD format.")
		start := slots.Slots[0].Start
		body := `{"agenda":"urbanisme","type":"conseil","start":"` + start + `","name":"Porteur de projet","phone":"0611223344"}`
		res := b.Do("POST", "/api/v1/rendez-vous/reservations", nil, http.Header{"Content-Type": {"application/json"}})
		res.Want(t, http.StatusUnprocessableEntity)
		res = post(b, body).Want(t, http.StatusCreated)
		var booked struct {
			Reference, Status, Token string
			ManageURL                string     `json:"manage_url"`
			HoldUntil                *time.Time `json:"hold_until"`
		}
		decode(t, res.Body, &booked)
		if booked.Status != "booked" || !strings.HasPrefix(booked.Reference, "RDV-") || booked.HoldUntil != nil {
			t.Fatalf("booked: %s", res.Body)
		}
		var token struct {
			Token string `json:"manage_token"`
		}
		decode(t, res.Body, &token)
		// One counsellor: the same time again is taken, with alternatives.
		other := strings.Replace(body, `"phone"`, `"email":"autre@courriel.localhost","phone"`, 1)
		conflict := post(e.Browser(e.Town), other).Want(t, http.StatusConflict)
		var c struct {
			Error        struct{ Code string } `json:"error"`
			Alternatives []struct{ Start string }
		}
		decode(t, conflict.Body, &c)
		if c.Error.Code != "conflict" || len(c.Alternatives) == 0 || c.Alternatives[0].Start == start {
			t.Errorf("conflict: %s", conflict.Body)
		}
		starts = starts[:0]
		for _, s := range c.Alternatives {
			starts = append(starts, s.Start)
		}
		if got := startsIn([]byte(conflict.Body)); !slices.Equal(got, starts) {
			t.Errorf("startsIn read %v, want %v", got, starts)
		}
		b.Get("/api/v1/rendez-vous/reservations/"+token.Token).Want(t, http.StatusOK).WantBody(t, booked.Reference)

		// Moving it: to a free time, to a time never offered, with no time.
		mine := "/api/v1/rendez-vous/reservations/" + token.Token
		later := slots.Slots[len(slots.Slots)-1].Start
		var moved struct{ Start time.Time }
		decode(t, send(b, "PATCH", mine, `{"start":"`+later+`"}`).Want(t, http.StatusOK).Body, &moved)
		if want, _ := time.Parse(time.RFC3339, later); !moved.Start.Equal(want) {
			t.Errorf("moved to %v, want %v", moved.Start, want)
		}
		b.Get(mine).WantBody(t, booked.Reference)
		refused := send(b, "PATCH", mine, `{"start":"2020-01-06T03:00:00Z"}`).Want(t, http.StatusConflict)
		refused.WantBody(t, `"alternatives":[{`)
		send(b, "PATCH", mine, `{}`).Want(t, http.StatusUnprocessableEntity).WantBody(t, "RFC 3339")
		// The time it left is free again: the other person, a guest, holds it
		// until they confirm the link emailed to them.
		var pending struct {
			Status    string
			HoldUntil time.Time `json:"hold_until"`
		}
		decode(t, post(e.Browser(e.Town), other).Want(t, http.StatusCreated).Body, &pending)
		if now := appointmentweb.Of(e.App.Kernel).Store.Now(); pending.Status != "pending" || pending.HoldUntil.Before(now.Add(29*time.Minute)) ||
			pending.HoldUntil.After(now.Add(30*time.Minute)) {
			t.Errorf("a guest's booking by API: %+v, want pending for 30 minutes", pending)
		}
		b.Do("DELETE", "/api/v1/rendez-vous/reservations/"+token.Token, nil, nil).Want(t, http.StatusOK).WantBody(t, `"status":"cancelled"`)
		b.Do("DELETE", "/api/v1/rendez-vous/reservations/"+token.Token, nil, nil).Want(t, http.StatusConflict)
		send(b, "PATCH", mine, `{"start":"`+later+`"}`).Want(t, http.StatusConflict) // cancelled: no longer movable
		b.Get("/api/v1/rendez-vous/reservations/"+strings.Repeat("x", 43)).Want(t, http.StatusNotFound)
		b.Get("/api/openapi.json").WantBody(t, "/api/v1/rendez-vous/reservations/{token}", "AppointmentConflict", "AppointmentMoveRequest")
	}, apptest.WithDemoData())
}

func TestBookingIsRateLimited(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town).SignInDemo(t, "habitant@courriel.localhost")
		form := url.Values{"debut": {"2030-01-07T08:00:00Z"}, "name": {"Habitant"}}
		for i := range 20 {
			if res := b.Post("/rendez-vous/urbanisme/conseil/coordonnees", form); res.Status == http.StatusTooManyRequests {
				t.Fatalf("limited after %d attempts", i)
			}
		}
		b.Post("/rendez-vous/urbanisme/conseil/coordonnees", form).Want(t, http.StatusTooManyRequests)
		// Another person from another address is not affected.
		e.Browser(e.Town).Post("/rendez-vous/urbanisme/conseil/coordonnees", form).Want(t, http.StatusUnprocessableEntity)
	}, apptest.WithDemoData())
}

// post sends a JSON booking as an API client would.
func post(b *apptest.Browser, body string) *apptest.Response {
	return send(b, "POST", "/api/v1/rendez-vous/reservations", body)
}

// send sends a JSON body.
func send(b *apptest.Browser, method, path, body string) *apptest.Response {
	req, _ := http.NewRequest(method, b.URL(path), strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := b.Client.Do(req)
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return &apptest.Response{Status: res.StatusCode, Header: res.Header, Body: string(raw)}
}

func decode(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("JSON %q: %v", body, err)
	}
}
