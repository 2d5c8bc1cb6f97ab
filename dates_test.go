package guichet

import (
	"testing"
	"time"
)

func TestDates(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		t          time.Time
		lang       string
		date, long string
	}{
		{time.Date(2026, 11, 26, 10, 0, 0, 0, paris), "fr", "26 novembre 2026", "jeudi 26 novembre 2026"},
		{time.Date(2026, 11, 26, 10, 0, 0, 0, paris), "en", "26 November 2026", "Thursday 26 November 2026"},
		{time.Date(2027, 2, 1, 0, 30, 0, 0, paris), "fr", "1er février 2027", "lundi 1er février 2027"},
		{time.Date(2027, 2, 1, 0, 30, 0, 0, paris), "en", "1 February 2027", "Monday 1 February 2027"},
		{time.Date(2026, 8, 15, 9, 0, 0, 0, paris), "", "15 août 2026", "samedi 15 août 2026"},
	} {
		if got := Date(c.t, c.lang); got != c.date {
			t.Errorf("Date(%v, %q) = %q, want %q", c.t, c.lang, got, c.date)
		}
		if got := LongDate(c.t, c.lang); got != c.long {
			t.Errorf("LongDate(%v, %q) = %q, want %q", c.t, c.lang, got, c.long)
		}
	}
}
