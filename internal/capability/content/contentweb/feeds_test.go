package contentweb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/capability/content"
	"guichet/internal/capability/content/contentweb"
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

// TestFeedsReadByIndependentParsers publishes events (two on the days
// the clocks change, a weekly one across the spring change, an all-day
// one, a cancelled one) and news, then checks that ical.js and
// @rowanmanning/feed-parser read back every field.
func TestFeedsReadByIndependentParsers(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		s, loc := contentweb.Of(e.App.Kernel).Store, e.Town.Location()
		at := func(y int, mo time.Month, d, h, mi int) time.Time { return time.Date(y, mo, d, h, mi, 0, 0, loc).UTC() }
		year := e.App.Now().Year() + 1
		spring := lastSunday(year, time.March, loc)
		autumn := lastSunday(year, time.October, loc)
		until := at(year, time.March, spring.Day()+14, 23, 0) // two weeks after the change
		events := []*content.Event{
			{Title: "Nuit du printemps, heure d'été", Place: "Salle des fêtes", Address: "2 rue des Écoles, 86990 Montclair",
				Start: at(year, time.March, spring.Day(), 1, 30), End: at(year, time.March, spring.Day(), 3, 30), Category: "culture",
				Summary: "Une nuit; avec des virgules, des points-virgules\\ et un antislash", Body: "Texte **gras** sur\nplusieurs lignes."},
			{Title: "Bal de l'heure d'hiver", Place: "Salle des fêtes", Start: at(year, time.October, autumn.Day(), 0, 30),
				End: at(year, time.October, autumn.Day(), 4, 0), Category: "culture"},
			{Title: "Marché du dimanche", Place: "Place de la Mairie", Start: at(year, time.March, spring.Day()-7, 10, 0),
				End: at(year, time.March, spring.Day()-7, 12, 0), Recurrence: content.RepeatWeekly, RecurrenceUntil: &until, Category: "marche"},
			{Title: "Fête nationale", Place: "Parc", Start: at(year, time.July, 14, 0, 0), End: at(year, time.July, 14, 0, 0), AllDay: true, Category: "famille"},
			{Title: "Concert annulé", Place: "Église", Start: at(year, time.May, 2, 20, 0), End: at(year, time.May, 2, 22, 0), Category: "culture"},
		}
		for _, ev := range events {
			ev.TenantID, ev.Status = e.Town.ID, content.StatusPublished
			if err := s.SaveEvent(ctx, ev, loc, "test", "published"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.SetEventStatus(ctx, e.Town.ID, events[4].ID, "", true, loc, "test"); err != nil {
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
		for _, want := range events {
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
		first := cal.Events[byUID[events[0].ID+"@montclair.localhost"]]
		if !strings.Contains(first.Description, "virgules, des points-virgules\\ et") || !strings.Contains(first.Description, "plusieurs lignes") {
			t.Errorf("description did not survive: %q", first.Description)
		}
		if got := cal.Events[byUID[events[4].ID+"@montclair.localhost"]]; got.Status != "CANCELLED" || got.Sequence != 1 {
			t.Errorf("cancelled event: status %q sequence %d", got.Status, got.Sequence)
		}
		// The spring night lasts one hour: 01:30 CET to 03:30 CEST.
		if d := first.Dates[0]; d[0] != events[0].Start.Format("2006-01-02T15:04:05.000Z") || events[0].End.Sub(events[0].Start) != time.Hour {
			t.Errorf("spring night: %v", d)
		}
		// The weekly market keeps 10:00 local on both sides of the change.
		market := cal.Events[byUID[events[2].ID+"@montclair.localhost"]]
		for _, d := range market.Dates {
			st, _ := time.Parse(time.RFC3339, d[0])
			if st.In(loc).Hour() != 10 {
				t.Errorf("market at %s local", st.In(loc))
			}
		}
		// One event's .ics.
		one := b.Get(events[1].URL()+".ics").Want(t, 200)
		var single icsOut
		apptest.ParseFeed(t, "ics", one.Body, &single)
		if len(single.Events) != 1 || single.Events[0].UID != events[1].ID+"@montclair.localhost" {
			t.Errorf("single .ics: %+v", single.Events)
		}
		// A category's feed holds that category only.
		var culture icsOut
		apptest.ParseFeed(t, "ics", b.Get("/agenda/categorie/marche.ics").Want(t, 200).Body, &culture)
		if len(culture.Events) != 1 || culture.Events[0].Summary != "Marché du dimanche" {
			t.Errorf("category feed: %+v", culture.Events)
		}
		checkAtom(t, e, b)
	})
}

func checkAtom(t *testing.T, e *apptest.Env, b *apptest.Browser) {
	ctx := context.Background()
	n := &content.News{TenantID: e.Town.ID, Category: "travaux", Title: "Travaux & déviation <rue Haute>",
		Summary: "Résumé", Body: "Texte avec **gras** et <script>alert(1)</script>", Status: content.StatusPublished}
	if err := contentweb.Of(e.App.Kernel).Store.SaveNews(ctx, n, "test", "published"); err != nil {
		t.Fatal(err)
	}
	type atomOut struct {
		Title, URL, Self string
		Entries          []struct {
			ID, Title, URL, Content, Published, Updated string
			Categories                                  []string
		}
	}
	var news atomOut
	res := b.Get("/actualites/flux.atom").Want(t, 200)
	apptest.ParseFeed(t, "atom", res.Body, &news)
	if len(news.Entries) != 1 {
		t.Fatalf("news feed: %+v", news)
	}
	got := news.Entries[0]
	if got.ID != "urn:uuid:"+n.ID || got.Title != n.Title || got.URL != "http://montclair.localhost"+n.URL() ||
		!strings.Contains(got.Content, "<strong>gras</strong>") || strings.Contains(got.Content, "<script") ||
		len(got.Categories) != 1 || got.Categories[0] != "travaux" {
		t.Errorf("news entry: %+v", got)
	}
	if p, err := time.Parse(time.RFC3339, got.Published); err != nil || !p.Equal(*n.PublishAt) {
		t.Errorf("published %q, want %s", got.Published, n.PublishAt)
	}
	if news.Self != "http://montclair.localhost/actualites/flux.atom" {
		t.Errorf("self link %q", news.Self)
	}
}

// lastSunday returns the last Sunday of a month, the day the clocks change in Europe.
func lastSunday(year int, month time.Month, loc *time.Location) time.Time {
	d := time.Date(year, month+1, 0, 12, 0, 0, 0, loc)
	for d.Weekday() != time.Sunday {
		d = d.AddDate(0, 0, -1)
	}
	return d
}
