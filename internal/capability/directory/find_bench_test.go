package directory_test

import (
	"fmt"
	"testing"
	"time"

	"guichet/internal/capability/directory"
	"guichet/internal/kernel"
)

// manyEntries is a large town's directory: n entries of every category,
// each with a summary, a description and opening hours.
func manyEntries(n int) []*directory.Entry {
	hours := []string{"Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00; PH off", "Tu-Sa 09:30-12:30,14:00-19:00", "24/7",
		"Apr-Sep Mo-Su 10:00-19:00; Oct-Mar Sa,Su 14:00-17:00", ""}
	out := make([]*directory.Entry, n)
	for i := range out {
		cat := kernel.DirectoryCategories[i%len(kernel.DirectoryCategories)]
		out[i] = &directory.Entry{ID: fmt.Sprint(i), Name: fmt.Sprintf("Établissement numéro %d", i), Category: cat,
			Summary:     "Accueil du public, renseignements et permanences des associations du quartier.",
			Description: "Une **présentation** de quelques lignes, avec les services proposés et les conditions d'accès.",
			Address:     fmt.Sprintf("%d rue des Écoles", i), Postcode: "86990", City: "Montclair-sur-Vienne",
			OpeningHours: hours[i%len(hours)], Wheelchair: directory.WheelchairValues[i%4]}
	}
	return out
}

// BenchmarkFind is the public list's search over a directory of 2,000
// entries: words, the "open now" filter, and both, once each entry's
// terms and the minute's statuses are known (the first search after a
// change reads them again).
func BenchmarkFind(b *testing.B) {
	entries := directory.Remembered(manyEntries(2000))
	at := time.Date(2027, 3, 9, 10, 0, 0, 0, time.FixedZone("CET", 3600))
	for _, c := range []struct {
		name string
		q    directory.Query
	}{
		{"words", directory.Query{Words: "permanences quartier"}},
		{"open-now", directory.Query{OpenAt: at}},
		{"words-open-wheelchair", directory.Query{Words: "ecoles", OpenAt: at, Wheelchair: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			directory.Find(entries, c.q)
			for b.Loop() {
				directory.Find(entries, c.q)
			}
		})
	}
}
