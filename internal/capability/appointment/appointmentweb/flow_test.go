package appointmentweb_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/appointment"
	"guichet/internal/capability/appointment/appointmentweb"
	"guichet/internal/kernel/mailtest"
)

var debutRE = regexp.MustCompile(`coordonnees\?debut=([0-9TZa-f%:-]+)`)

// debutOf returns the n-th start time linked from body, unescaped.
func debutOf(t *testing.T, body string, n int) string {
	t.Helper()
	all := debutRE.FindAllStringSubmatch(body, -1)
	if len(all) <= n {
		t.Fatalf("fewer than %d times offered:\n%s", n+1, body)
	}
	v, err := url.QueryUnescape(all[n][1])
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// firstWithPlaces returns the first start of the agenda's type with at
// least places free resources, read from the API: whatever the day and
// hour the test runs, and whatever the demo booked.
func firstWithPlaces(t *testing.T, b *apptest.Browser, agenda, typ string, places int) string {
	t.Helper()
	return firstWithPlacesAfter(t, b, agenda, typ, places, time.Time{})
}

// firstWithPlacesAfter is firstWithPlaces for times after from.
func firstWithPlacesAfter(t *testing.T, b *apptest.Browser, agenda, typ string, places int, from time.Time) string {
	t.Helper()
	var list struct {
		Slots []struct {
			Start string `json:"start"`
			Free  int    `json:"free"`
		} `json:"slots"`
	}
	decode(t, b.Get("/api/v1/rendez-vous/agendas/"+agenda+"/types/"+typ+"/creneaux").Want(t, http.StatusOK).Body, &list)
	for _, s := range list.Slots {
		start, err := time.Parse(time.RFC3339, s.Start)
		if err != nil {
			t.Fatal(err)
		}
		if s.Free >= places && start.After(from) {
			return s.Start
		}
	}
	t.Fatalf("no time with %d places in %s/%s", places, agenda, typ)
	return ""
}

// confirmByMail opens the link of the email asking addr to confirm their
// booking, and confirms it.
func confirmByMail(t *testing.T, e *apptest.Env, b *apptest.Browser, addr string) {
	t.Helper()
	hold := waitSubject(t, e, addr, "Confirmez votre rendez-vous")
	link := hold.Link("/confirmer/")
	if link == "" {
		t.Fatalf("no confirmation link:\n%s", hold.Text)
	}
	for _, m := range e.Mail.Messages() {
		if m.IsTo(addr) && strings.Contains(m.Subject, "Rendez-vous confirmé") {
			t.Errorf("a confirmation was sent to %s before they confirmed", addr)
		}
	}
	path := link[strings.Index(link, "/rendez-vous/"):]
	b.Get(path).Want(t, http.StatusOK).WantBody(t, "Confirmez votre rendez-vous", `action="`+path+`"`)
	res := b.Post(path, nil).WantRedirect(t, "/rendez-vous/gerer/")
	b.Get(res.Location).Want(t, http.StatusOK).WantBody(t, "Rendez-vous confirmé")
}

func guest(n string) url.Values {
	return url.Values{"name": {"Invité " + n}, "email": {"invite" + n + "@courriel.localhost"},
		"phone": {"06 11 22 33 44"}, "ants": {"AB12CD34E" + n}}
}

func ics(t *testing.T, m *mailtest.Message) []byte {
	t.Helper()
	for _, a := range m.Attachments {
		if strings.HasPrefix(a.ContentType, "text/calendar") {
			return a.Data
		}
	}
	t.Fatalf("no .ics attached to %q", m.Subject)
	return nil
}

// bothStationsAllDay makes the town's second biometric station, part-time
// in the demo, follow the agenda's hours: a time then has two places.
func bothStationsAllDay(t *testing.T, e *apptest.Env) {
	t.Helper()
	ctx := context.Background()
	a, err := appointmentweb.Of(e.App.Kernel).Store.Agenda(ctx, e.Town.ID, "passeports-cni")
	if err != nil {
		t.Fatal(err)
	}
	if err := appointmentweb.Of(e.App.Kernel).Store.SetResourceHours(ctx, e.Town.ID, a.ID, a.Resources[1].ID, nil); err != nil {
		t.Fatal(err)
	}
}

func TestResidentBooksMovesAndCancels(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		bothStationsAllDay(t, e)
		b := e.Browser(e.Town)
		b.Get("/rendez-vous").Want(t, http.StatusOK).WantBody(t, "Passeports et cartes d&#39;identité", "Conseil en urbanisme")
		b.Get("/rendez-vous/passeports-cni").Want(t, http.StatusOK).WantBody(t, "famille de quatre", "Photo d&#39;identité")
		base := "/rendez-vous/passeports-cni/passeport-cni"
		debut := firstWithPlaces(t, b, "passeports-cni", "passeport-cni", 2)
		b.Get(base+"/coordonnees?debut="+debut).Want(t, http.StatusOK).WantBody(t, "Numéro de pré-demande ANTS",
			"le rendez-vous ne sera pris qu&#39;une fois ce lien ouvert et confirmé, dans les 30 minutes")

		// A guest must give email, phone and a well-formed ANTS number.
		bad := guest("1")
		bad.Set("debut", debut)
		bad.Set("ants", "123")
		bad.Del("phone")
		b.Post(base+"/coordonnees", bad).Want(t, http.StatusUnprocessableEntity).WantBody(t, "10 lettres et chiffres", "numéro de téléphone")
		english := e.Browser(e.Town) // the same mistakes, in English
		english.SetCookie("lang", "en")
		english.Post(base+"/coordonnees", bad).Want(t, http.StatusUnprocessableEntity).
			WantBody(t, "The pre-application number has 10 letters and digits", "phone number")

		// A guest's time is held until they confirm the link emailed to them.
		form := guest("1")
		form.Set("debut", debut)
		res := b.Post(base+"/coordonnees", form).WantRedirect(t, "/rendez-vous/gerer/")
		manage := strings.TrimSuffix(res.Location, "?confirme=1")
		held := b.Get(res.Location).Want(t, http.StatusOK).WantBody(t, "Vérifiez votre messagerie", "AB12CD34E1",
			"invite1@courriel.localhost", "dans les 30 minutes", "En attente de confirmation par courriel")
		if strings.Contains(held.Body, "Rendez-vous confirmé") || strings.Contains(held.Body, "/confirmer/") {
			t.Error("the page after booking confirms the guest's booking, or links to its confirmation")
		}
		confirmByMail(t, e, b, "invite1@courriel.localhost")
		confirm := waitSubject(t, e, "invite1@courriel.localhost", "Rendez-vous confirmé")
		if !strings.Contains(confirm.Subject, "Rendez-vous confirmé") || confirm.Link("/rendez-vous/gerer/") == "" {
			t.Fatalf("confirmation: %q\n%s", confirm.Subject, confirm.Text)
		}
		req := parseICS(t, ics(t, confirm))
		start, _ := time.Parse(time.RFC3339, debut)
		if req.Method != "REQUEST" || req.Sequence != 0 || req.Status != "CONFIRMED" || req.Start != start.UTC().Format("2006-01-02T15:04:05.000Z") ||
			!strings.Contains(req.Organizer, "mailto:") || req.Attendee != "mailto:invite1@courriel.localhost" {
			t.Errorf("confirmation .ics read by ical.js: %+v", req)
		}

		// Two stations: the same time can be booked once more, then it is taken.
		second := guest("2")
		second.Set("debut", debut)
		b2 := e.Browser(e.Town)
		b2.Post(base+"/coordonnees", second).WantRedirect(t, "/rendez-vous/gerer/") // held, not confirmed yet
		third := guest("3")
		third.Set("debut", debut)
		lost := e.Browser(e.Town).Post(base+"/coordonnees", third).Want(t, http.StatusConflict)
		lost.WantBody(t, "Ce créneau vient d&#39;être réservé", "Prochains horaires libres", "coordonnees?debut=")
		if strings.Contains(lost.Body, "coordonnees?debut="+url.QueryEscape(debut)) || debutOf(t, lost.Body, 0) == debut {
			t.Error("the taken time is offered again")
		}
		// The same person cannot hold two passports appointments.
		again := guest("1")
		again.Set("debut", debutOf(t, lost.Body, 0))
		e.Browser(e.Town).Post(base+"/coordonnees", again).Want(t, http.StatusConflict).WantBody(t, "déjà un rendez-vous de ce type")

		// Move to the next free time: a new .ics with a higher SEQUENCE.
		moveTo := debutOf(t, lost.Body, 1)
		b.Get(manage+"/deplacer").Want(t, http.StatusOK)
		b.Get(manage+"/deplacer?debut="+url.QueryEscape(moveTo)).Want(t, http.StatusOK).WantBody(t, "Nouvel horaire")
		b.Post(manage+"/deplacer", url.Values{"debut": {moveTo}}).Want(t, http.StatusOK).WantBody(t, "Le rendez-vous est déplacé")
		moved := waitSubject(t, e, "invite1@courriel.localhost", "déplacé")
		if p := parseICS(t, ics(t, moved)); p.Method != "REQUEST" || p.Sequence != 1 || p.UID != req.UID {
			t.Errorf("moved .ics: %+v", p)
		}

		// Cancel: METHOD:CANCEL with the same UID and a higher SEQUENCE.
		b.Post(manage+"/annuler", nil).Want(t, http.StatusOK).WantBody(t, "Le rendez-vous est annulé")
		cancel := waitSubject(t, e, "invite1@courriel.localhost", "annulé")
		p := parseICS(t, ics(t, cancel))
		if p.Method != "CANCEL" || p.Status != "CANCELLED" || p.UID != req.UID || p.Sequence != 2 {
			t.Errorf("cancellation .ics read by ical.js: %+v", p)
		}
		b.Post(manage+"/annuler", nil).Want(t, http.StatusConflict)
		b.Get(manage+"/calendrier.ics").Want(t, http.StatusOK).WantBody(t, "METHOD:CANCEL")
		e.Browser(e.Town).Get("/rendez-vous/gerer/pas-le-bon-jeton-du-tout-0000000000").Want(t, http.StatusNotFound)
	}, apptest.WithMail(), apptest.WithDemoData())
}

// waitSubject waits for a message to addr whose subject contains part.
func waitSubject(t *testing.T, e *apptest.Env, addr, part string) *mailtest.Message {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, m := range e.Mail.Messages() {
			if m.IsTo(addr) && strings.Contains(m.Subject, part) {
				return m
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no message to %s about %q", addr, part)
	return nil
}

func TestRemindersAndWaitingListReachTheMailbox(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		s := appointmentweb.Of(e.App.Kernel).Store
		a, err := s.Agenda(ctx, e.Town.ID, "urbanisme")
		if err != nil {
			t.Fatal(err)
		}
		// A reminder one minute after booking: an appointment 24 h and 1 min ahead.
		loc := e.Town.Location()
		typ := a.Type("conseil")
		today := appointment.DayOf(s.Now(), loc)
		slots, _, err := s.Free(ctx, a, loc, typ, today, today.AddDays(40))
		if err != nil || len(slots) == 0 {
			t.Fatalf("no slot: %v", err)
		}
		a.Reminders = []time.Duration{slots[0].Start.Sub(s.Now()) - 2*time.Second}
		if err := s.UpdateSettings(ctx, a); err != nil {
			t.Fatal(err)
		}
		b, err := s.Book(ctx, &appointment.Request{Agenda: a, Type: typ, Loc: loc, Start: slots[0].Start, Name: "Porteuse de projet",
			Email: "projet@courriel.localhost", Lang: "fr", BookedBy: "resident", SiteURL: "http://montclair.localhost",
			Verified: true})
		if err != nil {
			t.Fatal(err)
		}
		rem := waitSubject(t, e, "projet@courriel.localhost", "Rappel")
		if !strings.Contains(rem.Text, "Plan de situation") || rem.Link("/rendez-vous/gerer/") == "" {
			t.Errorf("reminder:\n%s", rem.Text)
		}

		// Someone waits; the booking is cancelled; the slot is offered and held.
		w := e.Browser(e.Town)
		w.Get("/rendez-vous/urbanisme/conseil/liste-attente").Want(t, http.StatusOK)
		w.Post("/rendez-vous/urbanisme/conseil/liste-attente", url.Values{"name": {"Voisin attentif"},
			"email": {"attente@courriel.localhost"}}).Want(t, http.StatusOK).WantBody(t, "inscrit(e) sur la liste d&#39;attente")
		if err := s.Cancel(ctx, b, "resident"); err != nil {
			t.Fatal(err)
		}
		offer := waitSubject(t, e, "attente@courriel.localhost", "s'est libéré")
		link := offer.Link("/rendez-vous/gerer/")
		if link == "" {
			t.Fatalf("offer without link:\n%s", offer.Text)
		}
		path := link[strings.Index(link, "/rendez-vous/"):]
		w.Get(path).Want(t, http.StatusOK).WantBody(t, "Un créneau vous est réservé")
		w.Post(path+"/accepter", nil).Want(t, http.StatusOK).WantBody(t, "Le rendez-vous est confirmé")
		waitSubject(t, e, "attente@courriel.localhost", "Rendez-vous confirmé")
	}, apptest.WithMail(), apptest.WithDemoData())
}
