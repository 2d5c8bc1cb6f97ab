package openinghours_test

import (
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/directory/openinghours"
)

var paris = mustZone("Europe/Paris")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at reads "2026-07-14 10:30" in Paris; "2026-10-25 02:30 +02:00" for the
// first of the two 02:30 when the clock goes back.
func at(t *testing.T, s string) time.Time {
	t.Helper()
	layout := "2006-01-02 15:04"
	if len(s) > len(layout) {
		layout += " -07:00"
	}
	v, err := time.ParseInLocation(layout, s, paris)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustParse(t *testing.T, s string) *openinghours.Hours {
	t.Helper()
	h, err := openinghours.Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return h
}

func TestAt(t *testing.T) {
	t.Parallel()
	const office = "Mo-Fr 08:30-12:00,13:30-17:30; PH off"
	for _, c := range []struct {
		hours, at string
		am        bool
		open      bool
		next      string // "" for none within eight days
	}{
		// Monday 13 July 2026, then Tuesday 14 July, a public holiday.
		{office, "2026-07-13 08:29", false, false, "2026-07-13 08:30"},
		{office, "2026-07-13 08:30", false, true, "2026-07-13 12:00"},
		{office, "2026-07-13 12:00", false, false, "2026-07-13 13:30"},
		{office, "2026-07-13 17:30", false, false, "2026-07-15 08:30"}, // 14 July skipped
		{office, "2026-07-14 10:00", false, false, "2026-07-15 08:30"},
		{office, "2026-07-17 18:00", false, false, "2026-07-20 08:30"}, // the weekend
		{"Mo-Fr 08:30-12:00", "2026-07-15 09:00", false, true, "2026-07-15 12:00"},
		// A span past midnight: the night of Friday to Saturday.
		{"Fr,Sa 22:00-02:00", "2026-07-17 23:59", false, true, "2026-07-18 02:00"},
		{"Fr,Sa 22:00-02:00", "2026-07-18 01:30", false, true, "2026-07-18 02:00"},
		{"Fr,Sa 22:00-02:00", "2026-07-18 12:00", false, false, "2026-07-18 22:00"},
		{"Fr,Sa 22:00-02:00", "2026-07-19 01:59", false, true, "2026-07-19 02:00"},
		{"Fr,Sa 22:00-02:00", "2026-07-19 02:00", false, false, "2026-07-24 22:00"},
		// A later ";" rule replaces what spilled past midnight on its day.
		{"Mo-Su 22:00-02:00; Tu 10:00-12:00", "2026-07-14 01:00", false, false, "2026-07-14 10:00"},
		{"Mo-Su 22:00-02:00; Tu 10:00-12:00", "2026-07-15 01:00", false, true, "2026-07-15 02:00"},
		// Months: a summer timetable, and a range over the new year.
		{"Apr-Sep Sa 09:00-12:00; Oct-Mar Sa 10:00-12:00", "2026-09-26 09:30", false, true, "2026-09-26 12:00"},
		{"Apr-Sep Sa 09:00-12:00; Oct-Mar Sa 10:00-12:00", "2026-10-03 09:30", false, false, "2026-10-03 10:00"},
		{"Jan-Mar,Oct-Dec Mo 14:00-16:00", "2026-07-13 15:00", false, false, ""},
		{"Jan-Mar,Oct-Dec Mo 14:00-16:00", "2026-12-28 15:00", false, true, "2026-12-28 16:00"},
		{"Nov-Feb Mo 14:00-16:00", "2027-01-04 15:00", false, true, "2027-01-04 16:00"},
		// Changes of time in Paris: 28 March 2027 (02:00 becomes 03:00) and
		// 25 October 2026 (03:00 becomes 02:00).
		{"Su 01:00-04:00", "2027-03-28 01:30", false, true, "2027-03-28 04:00"},
		{"Su 03:00-05:00", "2027-03-28 01:59", false, false, "2027-03-28 03:00"},
		{"24/7; Su 08:00-09:00 off", "2026-10-25 07:00", false, true, "2026-10-25 08:00"},
		{"Sa 22:00-04:00", "2026-10-25 03:30", false, true, "2026-10-25 04:00"},
		{"Sa 09:00-02:00", "2027-03-28 01:30", false, true, "2027-03-28 03:00"},            // 02:00 is skipped
		{"Mo-Su 02:00-03:00", "2026-10-25 01:30", false, false, "2026-10-25 02:00 +02:00"}, // the first 02:00
		{"Mo-Su 02:00-03:00", "2026-10-25 02:30 +02:00", false, true, "2026-10-25 03:00 +01:00"},
		// Alsace-Moselle's Saint Stephen's Day.
		{"Mo-Sa 09:00-18:00; PH off", "2026-12-26 10:00", false, true, "2026-12-26 18:00"},
		{"Mo-Sa 09:00-18:00; PH off", "2026-12-26 10:00", true, false, "2026-12-28 09:00"},
		// Additional rules, off with times, fallbacks, comments.
		{"Mo-Fr 08:00-12:00, We 14:00-18:00", "2026-07-15 15:00", false, true, "2026-07-15 18:00"},
		{"Mo-Fr 08:00-18:00; We 12:00-14:00 off", "2026-07-15 13:00", false, false, "2026-07-15 14:00"},
		{"Mo-Fr 08:00-18:00; We 12:00-14:00 off", "2026-07-15 11:00", false, true, "2026-07-15 12:00"},
		{"Mo 08:00-09:00 || 10:00-11:00", "2026-07-13 10:30", false, true, "2026-07-13 11:00"},
		{"Mo-Fr 08:00-12:00; Sa \"sur rendez-vous\"", "2026-07-18 10:00", false, false, "2026-07-20 08:00"},
		{"Mo-Sa 09:00-19:00 open \"fermé le midi en août\"", "2026-07-18 10:00", false, true, "2026-07-18 19:00"},
		{"24/7", "2026-07-18 10:00", false, true, ""},
		{"Mo-Su off", "2026-07-18 10:00", false, false, ""},
		{"Sa-Mo 10:00-11:00", "2026-07-19 10:00", false, true, "2026-07-19 11:00"},
	} {
		h := mustParse(t, c.hours)
		open, next := h.At(at(t, c.at), c.am)
		want := time.Time{}
		if c.next != "" {
			want = at(t, c.next)
		}
		if open != c.open || !next.Equal(want) {
			t.Errorf("%q at %s (Alsace-Moselle %v): open %v, next %v; want %v, %v", c.hours, c.at, c.am, open, next, c.open, want)
		}
	}
}

// TestChangeOfTime counts real hours across the nights when Paris changes
// time: a night shop open from 01:00 to 04:00 on the clock is open two
// hours in spring and four in autumn.
func TestChangeOfTime(t *testing.T) {
	t.Parallel()
	h := mustParse(t, "Su 01:00-04:00")
	for _, c := range []struct {
		day   string
		hours time.Duration
	}{{"2027-03-28", 2 * time.Hour}, {"2026-10-25", 4 * time.Hour}, {"2026-07-19", 3 * time.Hour}} {
		days := h.Days(at(t, c.day+" 00:00"), 1, false)
		if len(days[0].Spans) != 1 {
			t.Fatalf("%s: %+v", c.day, days[0].Spans)
		}
		s := days[0].Spans[0]
		if got := s.To.Sub(s.From); got != c.hours {
			t.Errorf("%s: open %v, want %v", c.day, got, c.hours)
		}
		open, next := h.At(s.From.Add(time.Minute), false)
		if !open || !next.Equal(s.To) {
			t.Errorf("%s: At(opening) = %v, %v; want open until %v", c.day, open, next, s.To)
		}
	}
}

func TestDays(t *testing.T) {
	t.Parallel()
	h := mustParse(t, "Mo-Fr 08:30-12:00,13:30-17:30; Fr 20:00-01:00; PH off")
	days := h.Days(at(t, "2026-07-13 15:00"), 7, false)
	if len(days) != 7 {
		t.Fatalf("%d days", len(days))
	}
	f := func(d openinghours.Day) string {
		var parts []string
		for _, s := range d.Spans {
			parts = append(parts, s.From.Format("Mon 15:04")+"-"+s.To.Format("Mon 15:04"))
		}
		return d.Date.Format("2006-01-02") + " " + d.Holiday + ": " + strings.Join(parts, ", ")
	}
	want := []string{
		"2026-07-13 : Mon 08:30-Mon 12:00, Mon 13:30-Mon 17:30",
		"2026-07-14 Fête nationale: ",
		"2026-07-15 : Wed 08:30-Wed 12:00, Wed 13:30-Wed 17:30",
		"2026-07-16 : Thu 08:30-Thu 12:00, Thu 13:30-Thu 17:30",
		"2026-07-17 : Fri 20:00-Sat 01:00", // a ";" rule replaces the day's earlier times
		"2026-07-18 : ",
		"2026-07-19 : ",
	}
	for i, d := range days {
		if got := f(d); got != want[i] {
			t.Errorf("day %d: %q, want %q", i, got, want[i])
		}
		if d.Date.Location() != paris || d.Date.Hour() != 0 {
			t.Errorf("day %d starts at %v", i, d.Date)
		}
	}
	// Every day open all day: seven days of 24 hours, none merged.
	always := mustParse(t, "24/7").Days(at(t, "2026-07-13 15:00"), 3, false)
	for _, d := range always {
		if len(d.Spans) != 1 || d.Spans[0].To.Sub(d.Spans[0].From) != 24*time.Hour {
			t.Errorf("24/7 on %v: %+v", d.Date, d.Spans)
		}
	}
}

func TestString(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"mo-fr 8:30-12:00 , 13:30-17:30;PH closed":   "Mo-Fr 08:30-12:00,13:30-17:30; PH off",
		"Jan-Mar,Oct-Dec Mo,We,Fr 22:00-26:00":       "Jan-Mar,Oct-Dec Mo,We,Fr 22:00-02:00",
		"24/7":                                       "24/7",
		"Mo-Fr 09:00-12:00 || \"sur rendez-vous\"":   "Mo-Fr 09:00-12:00 || \"sur rendez-vous\"",
		"Sa 10:00-12:00 open \"marché\", Su off;":    "Sa 10:00-12:00 open \"marché\", Su off",
		"Mo 00:00-24:00; Tu unknown; We 10:00-10:00": "Mo 00:00-24:00; Tu unknown; We 10:00-10:00",
		"open":              "open",
		"Sa,PH 10:00-12:00": "Sa,PH 10:00-12:00",
	} {
		h := mustParse(t, in)
		if got := h.String(); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
		if again := mustParse(t, want).String(); again != want {
			t.Errorf("String is not stable: %q then %q", want, again)
		}
	}
}

func TestDescribe(t *testing.T) {
	t.Parallel()
	const nb = "\u00a0"
	h := mustParse(t, `Mo-Fr 08:30-12:00,13:30-17:30; Apr-Sep Sa,PH 09:00-12:00; Mo,We,Fr 22:00-01:00; Su off || "sur rendez-vous"`)
	fr := []string{
		"Lundi au vendredi" + nb + ": 8" + nb + "h" + nb + "30 – 12" + nb + "h, 13" + nb + "h" + nb + "30 – 17" + nb + "h" + nb + "30",
		"Avril à septembre, samedi et jours fériés" + nb + ": 9" + nb + "h – 12" + nb + "h",
		"Lundi, mercredi et vendredi" + nb + ": 22" + nb + "h – 1" + nb + "h",
		"Dimanche" + nb + ": fermé",
		"Sinon, tous les jours" + nb + ": sur rendez-vous",
	}
	en := []string{
		"Monday to Friday: 8:30 – 12:00, 13:30 – 17:30",
		"April to September, Saturday and public holidays: 9:00 – 12:00",
		"Monday, Wednesday and Friday: 22:00 – 1:00",
		"Sunday: closed",
		"Otherwise, every day: sur rendez-vous",
	}
	if got := h.Describe("fr"); strings.Join(got, "\n") != strings.Join(fr, "\n") {
		t.Errorf("French:\n%q\nwant\n%q", got, fr)
	}
	if got := h.Describe("en"); strings.Join(got, "\n") != strings.Join(en, "\n") {
		t.Errorf("English:\n%q\nwant\n%q", got, en)
	}
	if got := mustParse(t, "24/7").Describe("fr"); got[0] != "Tous les jours"+nb+": ouvert 24"+nb+"h sur 24, 7 jours sur 7" {
		t.Errorf("24/7: %q", got)
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Mo-Fr Xy":                          "Horaires : « Xy » n'est pas compris (position 7).",
		"Mo-Fr 08:00-12:00; sunrise-sunset": "Horaires : « sunrise » n'est pas compris (position 20).",
		"Mo-Fr 08:00-":                      "Horaires : le texte s'arrête au milieu d'une règle (position 13).",
		"Mo-Fr 08:00-12:00 \"rdv":           "Horaires : le commentaire ouvert par un guillemet n'est pas refermé (position 19).",
		"":                                  "Horaires : aucune règle n'est indiquée.",
		"Dec 25 off":                        "Horaires : « 25 » n'est pas compris (position 5).",
		"Mo 25:00-26:00":                    "Horaires : « 25:00 » n'est pas compris (position 4).",
		"Mo 08:00-12:00 week 1":             "Horaires : « week » n'est pas compris (position 16).",
		"Mo[1] 10:00-12:00":                 "Horaires : « [ » n'est pas compris (position 3).",
		"SH off":                            "Horaires : « SH » n'est pas compris (position 1).",
		"Mo-PH 10:00-12:00":                 "Horaires : « PH » n'est pas compris (position 4).",
		"Mo 10:00+":                         "Horaires : « + » n'est pas compris (position 9).",
		"Mo 10:00-12:00;; Tu off":           "Horaires : « ; » n'est pas compris (position 16).",
		"Mo 10:00-12:00 Fr":                 "Horaires : « Fr » n'est pas compris (position 16).",
		"Été 10:00-12:00":                   "Horaires : « Été » n'est pas compris (position 1).",
		strings.Repeat("Mo ", 200):          "Horaires : le texte dépasse 500 caractères.",
	} {
		_, err := openinghours.Parse(in)
		if err == nil {
			t.Errorf("Parse(%q) accepted", in)
			continue
		}
		if guichet.ErrorCode(err) != guichet.EInvalid {
			t.Errorf("Parse(%q): code %s", in, guichet.ErrorCode(err))
		}
		got := strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(guichet.ErrorMessage(err))
		if got != want {
			t.Errorf("Parse(%q): %q, want %q", in, got, want)
		}
	}
}
