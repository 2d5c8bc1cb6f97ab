package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"guichet/internal/apptest"
)

// TestDataExportHoldsEveryDomain: a resident's data export (RGPD right of
// access) holds their cases with answers, messages and history, their
// bookings and their questions, and nothing of another resident's.
func TestDataExportHoldsEveryDomain(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		b := e.Browser(e.Town).SignInDemo(t, "habitante@courriel.localhost")
		res := b.Get("/compte/donnees").Want(t, http.StatusOK)
		var data struct {
			Procedures []struct {
				Reference, Procedure, State string
				Answers                     []struct{ Field, Label, Value string }
				Messages                    []struct{ Author, Body string }
				History                     []struct{ Kind, To string }
			}
			Appointments []struct {
				Reference, Agenda, Type, Status string
				ANTS                            string `json:"ants_number"`
			}
			Questions []struct{ Question, Answer string }
		}
		if err := json.Unmarshal([]byte(res.Body), &data); err != nil {
			t.Fatal(err)
		}
		// Three urban-planning applications and four school registrations.
		if len(data.Procedures) != 7 {
			t.Fatalf("%d cases exported, want the demo resident's 7:\n%s", len(data.Procedures), res.Body)
		}
		c := data.Procedures[len(data.Procedures)-1]
		if c.Procedure == "" || c.Reference == "" || len(c.History) < 2 {
			t.Errorf("last case: %+v", c)
		}
		labelled := false
		for _, a := range c.Answers {
			if a.Field == "telephone" && a.Value == "05 49 00 00 00" && a.Label != "" {
				labelled = true
			}
		}
		if !labelled {
			t.Errorf("answers lack the labelled phone number: %+v", c.Answers)
		}
		if len(data.Appointments) != 1 || data.Appointments[0].ANTS != "DEMO000001" || data.Appointments[0].Agenda == "" ||
			data.Appointments[0].Type == "" || data.Appointments[0].Status != "booked" {
			t.Errorf("appointments: %+v", data.Appointments)
		}
		if len(data.Questions) != 1 || !strings.Contains(data.Questions[0].Question, "city-stade") || data.Questions[0].Answer == "" {
			t.Errorf("questions: %+v", data.Questions)
		}
		for _, leak := range []string{"DEMO000002", "marché de Noël", "habitant@courriel.localhost"} {
			if strings.Contains(res.Body, leak) {
				t.Errorf("the export holds another resident's %q", leak)
			}
		}
	}, apptest.WithDemoData())
}

// TestDataExportHoldsEveryKindOfRecord: a resident with a record of every
// kind finds each in their export, those filed as a guest under their
// address included.
func TestDataExportHoldsEveryKindOfRecord(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		u := e.Resident(e.Town, erasable.email, erasable.name)
		b := e.Browser(e.Town)
		b.SignIn(t, erasable.email, apptest.Password)
		createEveryRecord(t, e, u)
		res := b.Get("/compte/donnees").Want(t, http.StatusOK)
		var data struct {
			Account  struct{ Email string }
			Sessions []struct {
				CreatedAt string `json:"created_at"`
			}
			Appointments []struct {
				BookedBy string `json:"booked_by"`
				ANTS     string `json:"ants_number"`
			}
			Waitlist      []struct{ Agenda, Email string } `json:"appointment_waitlist"`
			Registrations []struct{ Event, Email string }  `json:"event_registrations"`
			Subscriptions []struct{ Topics []string }      `json:"alert_subscriptions"`
			Questions     []struct{ Question, Status string }
			Procedures    []struct{ State string }
		}
		if err := json.Unmarshal([]byte(res.Body), &data); err != nil {
			t.Fatal(err)
		}
		checks := []struct {
			what string
			ok   bool
		}{
			{"account", data.Account.Email == erasable.email},
			{"sessions", len(data.Sessions) == 1},
			{"bookings, of the account and as a guest", len(data.Appointments) == 2 && data.Appointments[0].ANTS == erasable.ants},
			{"waiting list", len(data.Waitlist) == 1 && data.Waitlist[0].Agenda != ""},
			{"event registration", len(data.Registrations) == 1 && data.Registrations[0].Event != ""},
			{"alert subscription", len(data.Subscriptions) == 1 && data.Subscriptions[0].Topics[0] == "travaux"},
			{"questions, waiting and published", len(data.Questions) == 2},
			{"draft and filed case", len(data.Procedures) == 2},
		}
		for _, c := range checks {
			if !c.ok {
				t.Errorf("the export lacks the %s:\n%s", c.what, res.Body)
			}
		}
	}, apptest.WithDemoData())
}
