package eventsweb

import (
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/events"
	"guichet/internal/kernel/icstest"
)

// TestCalendarFoldsEveryLineWithin75Octets writes a long description: its
// continuation lines, leading space included, stay within 75 octets.
func TestCalendarFoldsEveryLineWithin75Octets(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 12, 9, 0, 0, 0, time.UTC)
	e := &events.Event{ID: "a", Slug: "marche", Category: "culture", Title: "Marché de Noël", Place: "Place de la Mairie",
		Summary: strings.Repeat("Chalets, vin chaud et artisans. ", 10), Start: start, End: start.Add(time.Hour)}
	desc, _ := icstest.Value(calendarOf(t, []*events.Event{e}, "Montclair"), "VEVENT", "DESCRIPTION")
	if got, _ := icstest.Unescape(desc.Value); got != strings.TrimSpace(e.Summary) {
		t.Errorf("DESCRIPTION reads back %q", got)
	}
}

// TestCalendarWithBytesNotUTF8 writes an event whose title holds bytes
// that are not UTF-8 (a form does not check them): the feed is written,
// in UTF-8, instead of never ending.
func TestCalendarWithBytesNotUTF8(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 12, 9, 0, 0, 0, time.UTC)
	e := &events.Event{ID: "a", Slug: "marche", Category: "culture", Title: strings.Repeat("\x80", 80), Place: "Mairie",
		Start: start, End: start.Add(time.Hour)}
	title, _ := icstest.Value(calendarOf(t, []*events.Event{e}, "Montclair"), "VEVENT", "SUMMARY")
	if title.Value != "\uFFFD" {
		t.Errorf("SUMMARY:%s", title.Value)
	}
}

// TestZoneChangesKeptMatchASearch checks the kept changes of offset
// against a new search, for zones with and without summer time and spans
// of years read in turn, and that Paris changes twice a year.
func TestZoneChangesKeptMatchASearch(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"Europe/Paris", "America/Cayenne", "Indian/Reunion", "Pacific/Noumea"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, span := range [][2]int{{2025, 2027}, {2024, 2027}, {2025, 2027}} {
			want := findTransitions(loc, span[0], span[1])
			for range 2 {
				got := transitions(loc, span[0], span[1])
				if len(got) != len(want) {
					t.Fatalf("%s %v: %d changes kept, %d found", name, span, len(got), len(want))
				}
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("%s %v: change %d kept as %+v, found %+v", name, span, i, got[i], want[i])
					}
				}
			}
			if name == "Europe/Paris" && len(want) != 2*(span[1]-span[0]+1) {
				t.Errorf("Paris changes %d times in %v", len(want), span)
			}
		}
	}
}
