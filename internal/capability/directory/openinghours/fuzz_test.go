package openinghours_test

import (
	"testing"
	"time"

	"guichet/internal/capability/directory/openinghours"
)

// FuzzParse: Parse refuses or accepts without panicking; what it accepts
// it writes back as text that parses to the same text and the same
// opening, and its answers hold together (a change announced by At comes
// after the instant asked and flips the state).
func FuzzParse(f *testing.F) {
	for _, s := range realistic {
		f.Add(s, int64(0))
	}
	for _, s := range []string{"Mo-Fr Xy", "Mo-", `"`, "||", "24/7 off", "Su 02:00-03:00", "Sa-Mo 23:59-00:01", "Dec-Jan PH,Su 10:00-10:00"} {
		f.Add(s, int64(1000))
	}
	base := time.Date(2026, time.October, 24, 12, 0, 0, 0, paris)
	f.Fuzz(func(t *testing.T, s string, minutes int64) {
		h, err := openinghours.Parse(s)
		if err != nil {
			return
		}
		text := h.String()
		again, err := openinghours.Parse(text)
		if err != nil {
			t.Fatalf("%q written as %q, which does not parse: %v", s, text, err)
		}
		if again.String() != text {
			t.Fatalf("%q written as %q, then %q", s, text, again.String())
		}
		when := base.Add(time.Duration(minutes%(400*24*60)) * time.Minute)
		open, next := h.At(when, minutes%2 == 0)
		if o, n := again.At(when, minutes%2 == 0); o != open || !n.Equal(next) {
			t.Fatalf("%q and %q differ at %v", s, text, when)
		}
		if !next.IsZero() {
			if !next.After(when) {
				t.Fatalf("%q at %v: next change %v", s, when, next)
			}
			if after, _ := h.At(next, minutes%2 == 0); after == open {
				t.Fatalf("%q at %v: open %v, and still at the announced change %v", s, when, open, next)
			}
		}
		for _, d := range h.Days(when, 3, false) {
			for _, sp := range d.Spans {
				if !sp.To.After(sp.From) {
					t.Fatalf("%q: empty span %v", s, sp)
				}
			}
		}
		if len(h.Describe("fr")) == 0 || len(h.Describe("en")) == 0 {
			t.Fatalf("%q described in no line", s)
		}
	})
}
