package eventsweb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/events"
	"guichet/internal/capability/events/eventsweb"
	"guichet/internal/publishing"
)

type icsOut struct {
	Name, Refresh string
	Timezones     []string
	Events        []struct {
		UID, Summary, Location, Description, Status, Start, End, Tzid string
		Categories                                                    any
		Sequence                                                      int
		AllDay                                                        bool
		Dates                                                         [][2]string
	}
}

// TestCalendarFeedsReadByAnIndependentParser publishes events (two on the days
// the clocks change, a weekly one across the spring change, an all-day
// one, a cancelled one), then checks that ical.js reads back every
// field.
func TestCalendarFeedsReadByAnIndependentParser(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		s, loc := eventsweb.Of(e.App.Kernel).Store, e.Town.Location()
		at := func(y int, mo time.Month, d, h, mi int) time.Time { return time.Date(y, mo, d, h, mi, 0, 0, loc).UTC() }
		year := e.App.Now().Year() + 1
		spring := lastSunday(year, time.March, loc)
		autumn := lastSunday(year, time.October, loc)
		until := at(year, time.March, spring.Day()+14, 23, 0) // two weeks after the change
		list := []*events.Event{
			{Title: "Nuit du printemps, heure d'été", Place: "Salle des fêtes", Address: "2 rue des Écoles, 86990 Montclair",
				Start: at(year, time.March, spring.Day(), 1, 30), End: at(year, time.March, spring.Day(), 3, 30), Category: "culture",
				Summary: "Une nuit; avec des virgules, des points-virgules\\ et un antislash", Body: "Texte **gras** sur\nplusieurs lignes."},
			{Title: "Bal de l'heure d'hiver", Place: "Salle des fêtes", Start: at(year, time.October, autumn.Day(), 0, 30),
				End: at(year, time.October, autumn.Day(), 4, 0), Category: "culture"},
			{Title: "Marché du dimanche", Place: "Place de la Mairie", Start: at(year, time.March, spring.Day()-7, 10, 0),
				End: at(year, time.March, spring.Day()-7, 12, 0), Recurrence: events.RepeatWeekly, RecurrenceUntil: &until, Category: "marche"},
			{Title: "Fête nationale", Place: "Parc", Start: at(year, time.July, 14, 0, 0), End: at(year, time.July, 14, 0, 0), AllDay: true, Category: "famille"},
			{Title: "Concert annulé", Place: "Église", Start: at(year, time.May, 2, 20, 0), End: at(year, time.May, 2, 22, 0), Category: "culture"},
		}
		for _, ev := range list {
			ev.TenantID, ev.Status = e.Town.ID, publishing.StatusPublished
			if err := s.Save(ctx, ev, loc, "test", "published"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.SetStatus(ctx, e.Town.ID, list[4].ID, "", true, loc, "test"); err != nil {
			t.Fatal(err)
		}
		b := e.Browser(e.Town)
		res := b.Get("/agenda/flux.ics").Want(t, 200)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
			t.Errorf("content type %q", ct)
		}
		var cal icsOut
		apptest.ParseFeed(t, "ics", res.Body, &cal)
		if !strings.Contains(cal.Name, "Agenda") || cal.Refresh != "PT1H" || len(cal.Timezones) != 1 || cal.Timezones[0] != "Europe/Paris" {
			t.Errorf("calendar properties: %q %q %v", cal.Name, cal.Refresh, cal.Timezones)
		}
		byUID := map[string]int{}
		for i, ev := range cal.Events {
			byUID[ev.UID] = i
		}
		for _, want := range list {
			i, ok := byUID[want.ID+"@montclair.localhost"]
			if !ok {
				t.Errorf("%s: missing from the feed", want.Title)
				continue
			}
			got := cal.Events[i]
			if got.Summary != want.Title || !strings.HasPrefix(got.Location, want.Place) {
				t.Errorf("%s: summary %q location %q", want.Title, got.Summary, got.Location)
			}
			if want.Address != "" && got.Location != want.Place+", "+want.Address {
				t.Errorf("%s: location %q", want.Title, got.Location)
			}
			if want.AllDay {
				if !got.AllDay || got.Start != want.Start.In(loc).Format("2006-01-02") || got.End != want.Start.In(loc).AddDate(0, 0, 1).Format("2006-01-02") {
					t.Errorf("%s: all-day %v %s–%s", want.Title, got.AllDay, got.Start, got.End)
				}
				continue
			}
			if got.Tzid != "Europe/Paris" {
				t.Errorf("%s: time zone %q", want.Title, got.Tzid)
			}
			occ := want.Occurrences(loc)
			if len(got.Dates) != len(occ) {
				t.Errorf("%s: %d dates, want %d", want.Title, len(got.Dates), len(occ))
				continue
			}
			for j, o := range occ {
				if got.Dates[j][0] != o.Start.Format("2006-01-02T15:04:05.000Z") || got.Dates[j][1] != o.End.Format("2006-01-02T15:04:05.000Z") {
					t.Errorf("%s date %d: %v, want %s–%s", want.Title, j, got.Dates[j], o.Start, o.End)
				}
			}
		}
		first := cal.Events[byUID[list[0].ID+"@montclair.localhost"]]
		if !strings.Contains(first.Description, "virgules, des points-virgules\\ et") || !strings.Contains(first.Description, "plusieurs lignes") {
			t.Errorf("description did not survive: %q", first.Description)
		}
		if got := cal.Events[byUID[list[4].ID+"@montclair.localhost"]]; got.Status != "CANCELLED" || got.Sequence != 1 {
			t.Errorf("cancelled event: status %q sequence %d", got.Status, got.Sequence)
		}
		// The spring night lasts one hour: 01:30 CET to 03:30 CEST.
		if d := first.Dates[0]; d[0] != list[0].Start.Format("2006-01-02T15:04:05.000Z") || list[0].End.Sub(list[0].Start) != time.Hour {
			t.Errorf("spring night: %v", d)
		}
		// The weekly market keeps 10:00 local on both sides of the change.
		market := cal.Events[byUID[list[2].ID+"@montclair.localhost"]]
		for _, d := range market.Dates {
			st, _ := time.Parse(time.RFC3339, d[0])
			if st.In(loc).Hour() != 10 {
				t.Errorf("market at %s local", st.In(loc))
			}
		}
		// One event's .ics.
		one := b.Get(list[1].URL()+".ics").Want(t, 200)
		var single icsOut
		apptest.ParseFeed(t, "ics", one.Body, &single)
		if len(single.Events) != 1 || single.Events[0].UID != list[1].ID+"@montclair.localhost" {
			t.Errorf("single .ics: %+v", single.Events)
		}
		// A category's feed holds that category only.
		var culture icsOut
		apptest.ParseFeed(t, "ics", b.Get("/agenda/categorie/marche.ics").Want(t, 200).Body, &culture)
		if len(culture.Events) != 1 || culture.Events[0].Summary != "Marché du dimanche" {
			t.Errorf("category feed: %+v", culture.Events)
		}
	})
}

// lastSunday returns the last Sunday of a month, the day the clocks change in Europe.
func lastSunday(year int, month time.Month, loc *time.Location) time.Time {
	d := time.Date(year, month+1, 0, 12, 0, 0, 0, loc)
	for d.Weekday() != time.Sunday {
		d = d.AddDate(0, 0, -1)
	}
	return d
}
