package publishingweb

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzLocalTime checks the dates and times editors type for events
// (start, end, last date of a repetition): an accepted one is that wall
// clock time in the collectivité's zone, or, when a change of time skips
// it, the hour after.
func FuzzLocalTime(f *testing.F) {
	for _, p := range [][2]string{{"2026-12-12", "09:00"}, {"2026-03-29", "02:30"}, {"2026-10-25", "02:30"}, {"2026-02-30", "10:00"},
		{"2026-12-12", ""}, {"", "10:00"}, {"12/12/2026", "9h"}, {"2026-12-12", "24:00"}, {" 2026-12-12 ", " 9:05 "}, {"0000-01-01", "00:00"}} {
		f.Add(p[0], p[1])
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, date, clock string) {
		at, ok := LocalTime(url.Values{"d": {date}, "c": {clock}}, "d", "c", paris)
		if !ok || at == nil {
			if ok != (strings.TrimSpace(date) == "") {
				t.Fatalf("%q %q: no time, ok=%v", date, clock, ok)
			}
			return
		}
		h, m := 0, 0
		if c := strings.TrimSpace(clock); c != "" {
			hh, mm, _ := strings.Cut(c, ":")
			h, _ = strconv.Atoi(hh)
			m, _ = strconv.Atoi(mm)
		}
		local := at.In(paris)
		if local.Format("2006-01-02") != strings.TrimSpace(date) || local.Minute() != m {
			t.Fatalf("%q %q read as %s", date, clock, local)
		}
		// 02:30 on the night the clocks go forward does not exist: 03:30.
		if local.Hour() != h && (local.Hour() != h+1 || local.Add(-time.Hour).Hour() == h) {
			t.Fatalf("%q %q read as %s", date, clock, local)
		}
	})
}
