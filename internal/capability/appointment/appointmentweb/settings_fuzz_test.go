package appointmentweb

import (
	"net/url"
	"slices"
	"testing"
)

// FuzzParseWeek checks the opening hours typed in an agenda's settings
// ("09:00-12:00, 13:30-17:00" per weekday): accepted ranges are within the
// day, in 5-minute steps, start before they end, and the form written back
// from them reads the same.
func FuzzParseWeek(f *testing.F) {
	for _, p := range [][2]string{{"09:00-12:00, 13:30-17:00", "08:30-12:00"}, {"00:00-24:00", ""}, {"9:5-10:00", "12:00-09:00"},
		{"08:00-12:00,", "-"}, {"24:00-24:05", "07:60-08:00"}, {"+9:00-10:00", "0009:00-0010:00"}, {"9:00 - 10:00", "٠٩:٠٠-١٠:٠٠"}} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, monday, saturday string) {
		form := url.Values{"hours1": {monday}, "hours6": {saturday}}
		errs := map[string]string{}
		hours := parseWeek(form, errs, "plages")
		for _, h := range hours {
			if h.Start < 0 || h.Start >= h.End || h.End > 24*60 || h.Start%5 != 0 || h.End%5 != 0 {
				t.Fatalf("%q and %q give %+v", monday, saturday, h)
			}
		}
		if len(errs) > 0 {
			return
		}
		again := url.Values{}
		setWeek(again, hours)
		errs = map[string]string{}
		if back := parseWeek(again, errs, "plages"); len(errs) > 0 || !slices.Equal(back, hours) {
			t.Fatalf("%q and %q give %+v, written %v, read back %+v (%v)", monday, saturday, hours, again, back, errs)
		}
	})
}

// FuzzParseHHMM checks the times typed in agents' forms (closures, the
// hour bookings open): an accepted time is a minute of the day, 24:00
// included, that prints back and reads the same.
func FuzzParseHHMM(f *testing.F) {
	for _, s := range []string{"09:30", "24:00", "8:00", " 08:00 ", "23:59", "24:01", "-1:00", "12:60", "1:2:3", "+8:00", "0x1:00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := parseHHMM(s)
		if !ok {
			return
		}
		if n < 0 || n > 24*60 {
			t.Fatalf("parseHHMM(%q) = %d", s, n)
		}
		if again, ok := parseHHMM(hhmm(n)); !ok || again != n {
			t.Fatalf("parseHHMM(%q) = %d, written %q, read back %d", s, n, hhmm(n), again)
		}
	})
}
