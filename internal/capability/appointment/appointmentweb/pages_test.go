package appointmentweb_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/appointment"
	"guichet/internal/capability/appointment/appointmentweb"
)

// TestPublicPagesFollowEveryChange: the services list, an agenda's page,
// the time-choosing page, the details form and a lost race's page, which
// signed-out visitors are served from the page memo, show at once a
// booking, a cancellation, a closure, an agenda renamed or withdrawn, and
// each language its own words; a signed-in resident gets their own form.
func TestPublicPagesFollowEveryChange(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		s := appointmentweb.Of(e.App.Kernel).Store
		loc := e.Town.Location()
		b := e.Browser(e.Town)
		page := "/rendez-vous/passeports-cni/passeport-cni"
		before := b.Get(page).Want(t, http.StatusOK).Body
		// The last time of the page, on another day than the first: what
		// changes there changes nothing else the page shows. Late in the
		// week the first week may hold one day only: the next one then.
		first := debutOf(t, before, 0)
		links := debutRE.FindAllStringSubmatch(before, -1)
		if appointment.DayOf(mustParse(t, links[len(links)-1][1]), loc) == appointment.DayOf(mustParse(t, first), loc) {
			next := nextWeekRE.FindStringSubmatch(before)
			if next == nil {
				t.Fatal("the first week offers times on one day only and the page links no next week")
			}
			page += "?semaine=" + next[1]
			before = b.Get(page).Want(t, http.StatusOK).Body
			first = debutOf(t, before, 0)
			links = debutRE.FindAllStringSubmatch(before, -1)
		}
		if again := b.Get(page).Want(t, http.StatusOK).Body; again != before {
			t.Fatal("two requests with nothing changed between them got different pages")
		}
		target := mustParse(t, links[len(links)-1][1])
		day := appointment.DayOf(target, loc)
		if day == appointment.DayOf(mustParse(t, first), loc) {
			t.Fatalf("the week shown offers times on one day only (%s): the test needs two", day)
		}

		// The details form of a time: the same for every guest, each
		// signed-in resident's with their own name, and any spelling of
		// the time echoed as sent.
		form := "/rendez-vous/passeports-cni/passeport-cni/coordonnees?debut="
		guestForm := b.Get(form+escapedStart(target)).Want(t, http.StatusOK).
			WantBody(t, `name="debut" value="`+target.Format(time.RFC3339)+`"`).Body
		if other := e.Browser(e.Town).Get(form+escapedStart(target)).Want(t, http.StatusOK).Body; other != guestForm {
			t.Error("two guests got different forms for one time")
		}
		resident := e.Browser(e.Town).SignInDemo(t, "habitant@courriel.localhost")
		resident.Get(form+escapedStart(target)).Want(t, http.StatusOK).WantBody(t, `value="Habitant de démonstration"`)
		offset := target.In(loc).Format(time.RFC3339)
		b.Get(form+strings.ReplaceAll(offset, "+", "%2B")).Want(t, http.StatusOK).WantBody(t, `name="debut" value="`+strings.ReplaceAll(offset, "+", "&#43;")+`"`)

		// Every place of the target taken: it leaves the page at once.
		a, err := s.Agenda(ctx, e.Town.ID, "passeports-cni")
		if err != nil {
			t.Fatal(err)
		}
		var booked []*appointment.Booking
		for i := 0; ; i++ {
			bk, err := s.Book(ctx, &appointment.Request{Agenda: a, Type: a.Type("passeport-cni"), Loc: loc, Start: target,
				Name: "Résidente pressée", Email: fmt.Sprintf("pressee%d@courriel.localhost", i), ANTS: fmt.Sprintf("PRESSE%04d", i), Lang: "fr",
				BookedBy: "resident", SiteURL: "http://montclair.localhost", Verified: true})
			if errors.Is(err, appointment.ErrSlotTaken) {
				break
			}
			if err != nil || i > 2 {
				t.Fatalf("booking place %d of %s: %v", i+1, target, err)
			}
			booked = append(booked, bk)
		}
		taken := b.Get(page).Want(t, http.StatusOK).Body
		if debutOf(t, taken, 0) != first {
			t.Fatalf("booking %s changed the first time offered", target)
		}
		if strings.Contains(taken, "debut="+escapedStart(target)) {
			t.Fatalf("the page still offers %s, every place of which is booked", target)
		}

		// Guests losing the race for it, one after the other: each is
		// told so (409), with the next free times and not this one.
		for _, n := range []string{"7", "8"} {
			late := guest(n)
			late.Set("debut", target.Format(time.RFC3339))
			lost := e.Browser(e.Town).Post("/rendez-vous/passeports-cni/passeport-cni/coordonnees", late).
				Want(t, http.StatusConflict).WantBody(t, "Ce créneau vient d&#39;être réservé", "coordonnees?debut=")
			if strings.Contains(lost.Body, "debut="+escapedStart(target)) {
				t.Fatalf("guest %s lost %s and is offered it again", n, target)
			}
		}

		// Cancelled: offered again.
		if err := s.Cancel(ctx, booked[0], "resident"); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.Get(page).Want(t, http.StatusOK).Body, "debut="+escapedStart(target)) {
			t.Fatalf("after a cancellation %s is not offered again", target)
		}

		// The day closed by an agent: none of its times stays.
		if err := s.AddException(ctx, e.Town.ID, &appointment.Exception{AgendaID: a.ID, Day: day.String(),
			Start: 0, End: 1440, Kind: appointment.Closed, Reason: "Fermeture exceptionnelle"}); err != nil {
			t.Fatal(err)
		}
		closed := b.Get(page).Want(t, http.StatusOK).Body
		for _, v := range debutRE.FindAllStringSubmatch(closed, -1) {
			if appointment.DayOf(mustParse(t, v[1]), loc) == day {
				t.Fatalf("the page offers %s on the day just closed", v[1])
			}
		}

		// Each language its own page.
		english := e.Browser(e.Town)
		english.SetCookie("lang", "en")
		english.Get(page).Want(t, http.StatusOK).WantBody(t, "First free time:", "Week of ", lang("en"))
		b.Get(page).Want(t, http.StatusOK).WantBody(t, "Premier horaire libre", lang("fr"))

		// The services list: a new name and a withdrawal show at once.
		b.Get("/rendez-vous").Want(t, http.StatusOK).WantBody(t, "Passeports et cartes d&#39;identité", "Conseil en urbanisme")
		b.Get("/rendez-vous/passeports-cni").Want(t, http.StatusOK).WantBody(t, "<h1>Passeports et cartes d&#39;identité</h1>")
		a.Name = "Titres d'identité"
		if err := s.UpdateSettings(ctx, a); err != nil {
			t.Fatal(err)
		}
		renamed := b.Get("/rendez-vous").Want(t, http.StatusOK).WantBody(t, "Titres d&#39;identité")
		if strings.Contains(renamed.Body, "Passeports et cartes d&#39;identité") {
			t.Error("the services list shows the agenda's former name")
		}
		b.Get("/rendez-vous/passeports-cni").Want(t, http.StatusOK).WantBody(t, "<h1>Titres d&#39;identité</h1>")
		a.Active = false
		if err := s.UpdateSettings(ctx, a); err != nil {
			t.Fatal(err)
		}
		withdrawn := b.Get("/rendez-vous").Want(t, http.StatusOK).WantBody(t, "Conseil en urbanisme")
		if strings.Contains(withdrawn.Body, "/rendez-vous/passeports-cni\"") {
			t.Error("the services list links to an agenda withdrawn")
		}
	}, apptest.WithDemoData())
}

var nextWeekRE = regexp.MustCompile(`href="\?semaine=(\d{4}-\d\d-\d\d)" rel="next"`)

// escapedStart writes a start as the page's links do.
func escapedStart(t time.Time) string {
	return strings.ReplaceAll(t.UTC().Format(time.RFC3339), ":", "%3a")
}

func mustParse(t *testing.T, escaped string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, strings.ReplaceAll(escaped, "%3a", ":"))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// lang is the page's html element opening in language l.
func lang(l string) string { return `<html lang="` + l + `"` }
