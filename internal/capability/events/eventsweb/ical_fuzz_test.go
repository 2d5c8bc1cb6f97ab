package eventsweb

import (
	"slices"
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/events"
	"guichet/internal/kernel/icstest"
	"guichet/internal/publishing"
)

// icsText is what a calendar reader must get back from a TEXT value: the
// text as valid UTF-8, each line break as \n.
func icsText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
}

// calendarOf writes events as the agenda feed does, on the day of the
// first event (a zero Now made the time zone span two thousand years),
// failing t when that does not end within a few seconds.
func calendarOf(t *testing.T, list []*events.Event, name string) []icstest.Line {
	t.Helper()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan string, 1)
	go func() {
		done <- writeICS(list, ICSOptions{Name: name, Description: "Agenda de " + name,
			URL: "https://montclair.localhost/agenda", Host: "montclair.localhost", Loc: paris, Now: list[0].Start})
	}()
	select {
	case doc := <-done:
		lines, err := icstest.Parse(doc)
		if err != nil {
			t.Fatal(err)
		}
		return lines
	case <-time.After(5 * time.Second):
		t.Fatalf("the calendar of %q is still being written after 5 s", name)
		return nil
	}
}

// FuzzCalendarICS checks the agenda's iCalendar feed whatever the texts of
// an event hold: one event with its properties, lines folded at 75 octets
// in UTF-8, and each text read back as written.
func FuzzCalendarICS(f *testing.F) {
	f.Add("Marché de Noël", "Chalets, vin chaud et artisans.", "## Programme\n\n- 10 h : ouverture\n- 18 h : **concert**",
		"Place de la Mairie", "1 place de la Mairie, 54000 Montclair", "Mairie de Montclair")
	f.Add("a;b,c\\d", "x\r\ny", "ligne1\rligne2", "salle\npolyvalente", "", "")
	f.Add(strings.Repeat("é", 60), strings.Repeat("€", 40), strings.Repeat("x", 200), "", "", "")
	f.Add(strings.Repeat("\x80", 80), "fin\xc3", "\xff", "\xe2\x82", "", "\x80\x80")
	f.Fuzz(func(t *testing.T, title, summary, body, place, address, name string) {
		start := time.Date(2026, 12, 12, 9, 0, 0, 0, time.UTC)
		e := &events.Event{ID: "0b7c2f3e", Slug: "marche-de-noel", Category: "culture", Title: title, Summary: summary, Body: body,
			Place: place, Address: address, Start: start, End: start.Add(9 * time.Hour), Recurrence: events.RepeatWeekly,
			CreatedAt: start, UpdatedAt: start}
		lines := calendarOf(t, []*events.Event{e}, name)
		var event []string
		in := false
		for _, l := range lines {
			if l.Name == "BEGIN" && l.Value == "VEVENT" {
				in = true
			}
			if in {
				event = append(event, l.Name)
			}
			if l.Name == "END" && l.Value == "VEVENT" {
				in = false
			}
		}
		want := []string{"BEGIN", "UID", "DTSTAMP", "CREATED", "LAST-MODIFIED", "SEQUENCE", "DTSTART", "DTEND", "RRULE", "SUMMARY"}
		desc := strings.TrimSpace(summary + "\n\n" + publishing.PlainText(body))
		if desc != "" {
			want = append(want, "DESCRIPTION")
		}
		want = append(want, "LOCATION", "CATEGORIES", "URL", "STATUS", "END")
		if !slices.Equal(event, want) {
			t.Fatalf("event lines %v, want %v", event, want)
		}
		loc := place
		if address != "" {
			loc += ", " + address
		}
		for prop, text := range map[string]string{"SUMMARY": title, "DESCRIPTION": desc, "LOCATION": loc} {
			l, ok := icstest.Value(lines, "VEVENT", prop)
			if !ok {
				continue
			}
			got, err := icstest.Unescape(l.Value)
			if err != nil {
				t.Fatalf("%s: %v", prop, err)
			}
			if got != icsText(text) {
				t.Fatalf("%s reads back %q, want %q", prop, got, icsText(text))
			}
		}
		l, _ := icstest.Value(lines, "VCALENDAR", "X-WR-CALNAME")
		if got, err := icstest.Unescape(l.Value); err != nil || got != icsText(name) {
			t.Fatalf("calendar name reads back %q (%v), want %q", got, err, icsText(name))
		}
	})
}
