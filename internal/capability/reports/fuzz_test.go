package reports_test

import (
	"reflect"
	"strconv"
	"testing"
	"unicode/utf8"
)

// FuzzCheckAnswers feeds the answers a form or an Open311 client sends:
// never a panic; what is accepted is accepted again unchanged, its
// numbers read back as numbers and its choices among the keys.
func FuzzCheckAnswers(f *testing.F) {
	for _, seed := range [][3]string{{"eteint", "2,5", "2026-05-14T21:30"}, {"clignote", "-1e3", "2026-05-14"},
		{"casse", "NaN", "hier"}, {"", " 12 ", "2026-05-14T21:30:00+02:00"}, {"eteint", "1 000,5", "\xff"}} {
		f.Add(seed[0], seed[1], seed[2], "velos")
	}
	f.Fuzz(func(t *testing.T, state, height, since, risk string) {
		in := map[string][]string{"etat": {state}, "hauteur": {height}, "depuis": {since}, "risques": {risk, state},
			"numero": {height + since}, "details": {since}}
		got, errs := lamp.CheckAnswers(in)
		if errs != nil {
			for field, msg := range errs {
				if msg == "" || !utf8.ValidString(field) {
					t.Fatalf("empty message on %q", field)
				}
			}
			return
		}
		again, errs := lamp.CheckAnswers(got)
		if errs != nil || !reflect.DeepEqual(again, got) {
			t.Fatalf("accepted %v, then %v (%v)", got, again, errs)
		}
		if h := got["hauteur"]; len(h) == 1 {
			if _, err := strconv.ParseFloat(h[0], 64); err != nil {
				t.Fatalf("height %q is not a number", h[0])
			}
		}
		if e := got["etat"]; len(e) != 1 || (e[0] != "eteint" && e[0] != "clignote") {
			t.Fatalf("state %q", e)
		}
	})
}
