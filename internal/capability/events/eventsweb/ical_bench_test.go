package eventsweb

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/events"
)

// BenchmarkAgendaFeed writes the iCalendar feed of 500 list, each with a
// summary and a Markdown body of about 600 characters, as /agenda/flux.ics
// does at most.
func BenchmarkAgendaFeed(b *testing.B) {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		b.Fatal(err)
	}
	start := time.Date(2026, 12, 1, 18, 0, 0, 0, loc)
	body := strings.Repeat("Un **atelier** ouvert à toutes et à tous, à la [médiathèque](https://exemple.fr).\n\n", 7)
	list := make([]*events.Event, 500)
	for i := range list {
		s := start.AddDate(0, 0, i/3)
		list[i] = &events.Event{ID: fmt.Sprintf("evt-%03d", i), Slug: fmt.Sprintf("atelier-%d", i), Category: "culture",
			Title: fmt.Sprintf("Atelier numéro %d", i), Summary: "Découverte et échanges autour du numérique.", Body: body + fmt.Sprint(i),
			Place: "Médiathèque", Address: "1 place de la Mairie", Start: s.UTC(), End: s.Add(2 * time.Hour).UTC(),
			CreatedAt: start, UpdatedAt: start}
	}
	o := ICSOptions{Name: "Montclair – Agenda", URL: "http://montclair.localhost/agenda", Host: "montclair.localhost", Loc: loc, Now: start}
	b.ReportAllocs()
	var size int
	for b.Loop() {
		size = len(writeICS(list, o))
	}
	b.ReportMetric(float64(size)/1024, "kB")
}
