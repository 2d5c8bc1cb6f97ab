package urbanism

import (
	"slices"
	"strings"
	"testing"
	"time"

	"guichet"
)

// on parses a test's day, "2027-03-15", into midnight UTC.
func on(t *testing.T, s string) time.Time {
	t.Helper()
	if s == "" {
		return time.Time{}
	}
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// ymd writes a day back as the tests spell it, "" for the zero day.
func ymd(d time.Time) string {
	if d.IsZero() {
		return ""
	}
	return d.Format("2006-01-02")
}

func TestCerfaByCode(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		code, number string
		months       int
		tacit        string
		pieces       int
	}{
		{CerfaPCMI, "13406", 2, TacitPermit, 8},
		{CerfaPC, "13409", 3, TacitPermit, 8},
		{CerfaPA, "13409", 3, TacitPermit, 3},
		{CerfaPD, "13405", 2, TacitPermit, 3},
		{CerfaDPMI, "13703", 1, TacitNonOpposition, 8},
		{CerfaDP, "13404", 1, TacitNonOpposition, 8},
		{CerfaCUa, "13410", 1, TacitCertificate, 1},
		{CerfaCUb, "13410", 2, TacitCertificate, 3},
	} {
		got, ok := CerfaByCode(c.code)
		if !ok {
			t.Errorf("CerfaByCode(%q) not found", c.code)
			continue
		}
		if got.Code != c.code || got.Number != c.number || got.Months != c.months || got.Tacit != c.tacit ||
			len(got.Pieces) != c.pieces || got.Name == "" {
			t.Errorf("CerfaByCode(%q) = %s %s %d months %q, %d pieces; want %s %d months %q, %d pieces",
				c.code, got.Code, got.Number, got.Months, got.Tacit, len(got.Pieces), c.number, c.months, c.tacit, c.pieces)
		}
		for _, p := range got.Pieces {
			if p.Code == "" || p.Name == "" {
				t.Errorf("%s: a piece without code or name: %+v", c.code, p)
			}
		}
	}
	if len(Cerfas) != 8 {
		t.Errorf("%d kinds of application, want 8", len(Cerfas))
	}
	if _, ok := CerfaByCode("XX"); ok {
		t.Error("CerfaByCode(XX) found")
	}

	required := func(code string) []string {
		c, _ := CerfaByCode(code)
		var out []string
		for _, p := range c.Pieces {
			if p.Required {
				out = append(out, p.Code)
			}
		}
		return out
	}
	for code, want := range map[string][]string{
		CerfaDP:   {"DP1", "DP2"},
		CerfaDPMI: {"DP1", "DP2"},
		CerfaPCMI: {"PCMI1", "PCMI2", "PCMI3", "PCMI4", "PCMI5", "PCMI6", "PCMI7", "PCMI8"},
		CerfaPD:   {"PD1", "PD2", "PD3"},
		CerfaCUa:  {"CU1"},
	} {
		if got := required(code); !slices.Equal(got, want) {
			t.Errorf("required pieces of %s: %v, want %v", code, got, want)
		}
	}
}

func TestInstructionSchedule(t *testing.T) {
	t.Parallel()
	type want struct {
		completenessBy, complete string
		months                   int
		ends, decision, tacit    string
		piecesDue                string
		lapsed                   bool
	}
	for _, c := range []struct {
		name string
		in   Instruction
		// filed, asked and received days, and the day the schedule is read on.
		filed, asked, received, asOf string
		want                         want
		why                          string // a sentence Why must hold, when given
	}{
		// 13 January 2026 is a Tuesday: one to four months later fall on
		// working days, so that only the period's length shows.
		{name: "DPMI one month", in: Instruction{Cerfa: CerfaDPMI}, filed: "2026-01-13",
			want: want{"2026-02-13", "2026-01-13", 1, "2026-02-13", "2026-02-14", TacitNonOpposition, "", false}},
		{name: "DP one month", in: Instruction{Cerfa: CerfaDP}, filed: "2026-01-13",
			want: want{"2026-02-13", "2026-01-13", 1, "2026-02-13", "2026-02-14", TacitNonOpposition, "", false}},
		{name: "PCMI two months", in: Instruction{Cerfa: CerfaPCMI}, filed: "2026-01-13",
			want: want{"2026-02-13", "2026-01-13", 2, "2026-03-13", "2026-03-14", TacitPermit, "", false}},
		{name: "PC three months", in: Instruction{Cerfa: CerfaPC}, filed: "2026-01-13",
			want: want{"2026-02-13", "2026-01-13", 3, "2026-04-13", "2026-04-14", TacitPermit, "", false}},
		{name: "PA three months", in: Instruction{Cerfa: CerfaPA}, filed: "2026-01-13",
			want: want{"2026-02-13", "2026-01-13", 3, "2026-04-13", "2026-04-14", TacitPermit, "", false}},
		{name: "PD two months", in: Instruction{Cerfa: CerfaPD}, filed: "2026-01-13",
			want: want{"2026-02-13", "2026-01-13", 2, "2026-03-13", "2026-03-14", TacitPermit, "", false}},
		{name: "CUa one month", in: Instruction{Cerfa: CerfaCUa}, filed: "2026-01-13",
			want: want{"2026-02-13", "2026-01-13", 1, "2026-02-13", "2026-02-14", TacitCertificate, "", false}},
		{name: "CUb two months", in: Instruction{Cerfa: CerfaCUb}, filed: "2026-01-13",
			want: want{"2026-02-13", "2026-01-13", 2, "2026-03-13", "2026-03-14", TacitCertificate, "", false}},

		{name: "protected DP gets a month more", in: Instruction{Cerfa: CerfaDP, Protected: true}, filed: "2026-01-13",
			want: want{"2026-02-13", "2026-01-13", 2, "2026-03-13", "2026-03-14", TacitNonOpposition, "", false},
			why:  "Le terrain est dans un espace protégé : le délai d'instruction est majoré d'un mois (R423-24)."},
		{name: "protected PCMI gets a month more", in: Instruction{Cerfa: CerfaPCMI, Protected: true}, filed: "2026-01-13",
			want: want{"2026-02-13", "2026-01-13", 3, "2026-04-13", "2026-04-14", TacitPermit, "", false}},
		{name: "protected PC gets a month more", in: Instruction{Cerfa: CerfaPC, Protected: true}, filed: "2026-01-13",
			want: want{"2026-02-13", "2026-01-13", 4, "2026-05-13", "2026-05-14", TacitPermit, "", false}},
		{name: "a protected area does not lengthen a certificate", in: Instruction{Cerfa: CerfaCUb, Protected: true}, filed: "2026-01-13",
			want: want{"2026-02-13", "2026-01-13", 2, "2026-03-13", "2026-03-14", TacitCertificate, "", false}},
		{name: "protected PD: a month more, and silence refuses", in: Instruction{Cerfa: CerfaPD, Protected: true}, filed: "2026-01-13",
			want: want{"2026-02-13", "2026-01-13", 3, "2026-04-13", "2026-04-14", TacitRefusal, "", false},
			why:  "Démolition dans un espace protégé : le silence vaut refus tacite (R424-2)."},
		{name: "SilenceRejects on a permit", in: Instruction{Cerfa: CerfaPC, SilenceRejects: true}, filed: "2026-01-13",
			want: want{"2026-02-13", "2026-01-13", 3, "2026-04-13", "2026-04-14", TacitRefusal, "", false}},
		{name: "SilenceRejects on a declaration", in: Instruction{Cerfa: CerfaDP, SilenceRejects: true}, filed: "2026-01-13",
			want: want{"2026-02-13", "2026-01-13", 1, "2026-02-13", "2026-02-14", TacitOpposition, "", false}},

		{name: "31 January + 1 month ends on 28 February", in: Instruction{Cerfa: CerfaDP}, filed: "2025-01-31",
			want: want{"2025-02-28", "2025-01-31", 1, "2025-02-28", "2025-03-01", TacitNonOpposition, "", false},
			why:  "Il n'y a pas de 31 février 2025 : le délai d'instruction finit le dernier jour du mois, le 28 février 2025."},
		{name: "31 January + 1 month in a leap year ends on 29 February", in: Instruction{Cerfa: CerfaDP}, filed: "2028-01-31",
			want: want{"2028-02-29", "2028-01-31", 1, "2028-02-29", "2028-03-01", TacitNonOpposition, "", false}},
		{name: "30 November + 3 months ends on 28 February", in: Instruction{Cerfa: CerfaPC}, filed: "2024-11-30",
			want: want{"2024-12-30", "2024-11-30", 3, "2025-02-28", "2025-03-01", TacitPermit, "", false}},
		{name: "30 November + 3 months ends on 29 February in a leap year", in: Instruction{Cerfa: CerfaPC}, filed: "2027-11-30",
			want: want{"2027-12-30", "2027-11-30", 3, "2028-02-29", "2028-03-01", TacitPermit, "", false}},
		{name: "29 February + 1 month", in: Instruction{Cerfa: CerfaDP}, filed: "2028-02-29",
			want: want{"2028-03-29", "2028-02-29", 1, "2028-03-29", "2028-03-30", TacitNonOpposition, "", false}},
		{name: "31 August + 1 month ends on 30 September", in: Instruction{Cerfa: CerfaDP}, filed: "2027-08-31",
			want: want{"2027-09-30", "2027-08-31", 1, "2027-09-30", "2027-10-01", TacitNonOpposition, "", false}},

		{name: "an end on a Saturday moves to Monday", in: Instruction{Cerfa: CerfaDP}, filed: "2027-02-13",
			want: want{"2027-03-15", "2027-02-13", 1, "2027-03-15", "2027-03-16", TacitNonOpposition, "", false},
			why:  "Le 13 mars 2027 est un samedi : le délai d'instruction est prolongé au lundi 15 mars 2027 (art. 642 du code de procédure civile)."},
		{name: "an end on a Sunday moves to Monday", in: Instruction{Cerfa: CerfaDP}, filed: "2027-02-14",
			want: want{"2027-03-15", "2027-02-14", 1, "2027-03-15", "2027-03-16", TacitNonOpposition, "", false}},
		{name: "an end on 14 July moves to the 15th", in: Instruction{Cerfa: CerfaPCMI}, filed: "2027-05-14",
			want: want{"2027-06-14", "2027-05-14", 2, "2027-07-15", "2027-07-16", TacitPermit, "", false},
			why:  "Le 14 juillet 2027 est férié (Fête nationale) : le délai d'instruction est prolongé au jeudi 15 juillet 2027 (art. 642 du code de procédure civile)."},
		{name: "an end on 1 November moves to the 2nd", in: Instruction{Cerfa: CerfaDP}, filed: "2027-10-01",
			want: want{"2027-11-02", "2027-10-01", 1, "2027-11-02", "2027-11-03", TacitNonOpposition, "", false}},
		{name: "an end on Christmas, a Friday, moves to Monday", in: Instruction{Cerfa: CerfaPC}, filed: "2026-09-25",
			want: want{"2026-10-26", "2026-09-25", 3, "2026-12-28", "2026-12-29", TacitPermit, "", false}},
		{name: "an end on Easter Monday 2027 moves to Tuesday", in: Instruction{Cerfa: CerfaPCMI}, filed: "2027-01-29",
			want: want{"2027-03-01", "2027-01-29", 2, "2027-03-30", "2027-03-31", TacitPermit, "", false}},
		{name: "a Saturday then 1 May 2028 move the end to Tuesday", in: Instruction{Cerfa: CerfaPCMI}, filed: "2028-02-29",
			want: want{"2028-03-29", "2028-02-29", 2, "2028-05-02", "2028-05-03", TacitPermit, "", false},
			why:  "Le 29 avril 2028 est un samedi : le délai d'instruction est prolongé au mardi 2 mai 2028 (art. 642 du code de procédure civile)."},
		{name: "26 December is a working day outside Alsace-Moselle", in: Instruction{Cerfa: CerfaDP, Commune: "86194"}, filed: "2025-11-26",
			want: want{"2025-12-26", "2025-11-26", 1, "2025-12-26", "2025-12-27", TacitNonOpposition, "", false}},
		{name: "26 December is a holiday in Alsace-Moselle", in: Instruction{Cerfa: CerfaDP, Commune: "67482"}, filed: "2025-11-26",
			want: want{"2025-12-29", "2025-11-26", 1, "2025-12-29", "2025-12-30", TacitNonOpposition, "", false},
			why:  "Le 26 décembre 2025 est férié (Saint-Étienne) : le délai d'instruction est prolongé au lundi 29 décembre 2025 (art. 642 du code de procédure civile)."},
		{name: "Good Friday then Easter Monday in the Moselle", in: Instruction{Cerfa: CerfaDP, Commune: "57463"}, filed: "2027-02-26",
			want: want{"2027-03-30", "2027-02-26", 1, "2027-03-30", "2027-03-31", TacitNonOpposition, "", false}},

		{name: "pieces asked and received: the period runs from their receipt", in: Instruction{Cerfa: CerfaDP},
			filed: "2027-02-15", asked: "2027-03-10", received: "2027-04-20",
			want: want{"2027-03-15", "2027-04-20", 1, "2027-05-20", "2027-05-21", TacitNonOpposition, "2027-06-10", false},
			why:  "Le dossier a été complété le 20 avril 2027 : le délai d'instruction court de ce jour (R423-39)."},
		{name: "pieces received on their last day", in: Instruction{Cerfa: CerfaPCMI},
			filed: "2027-02-15", asked: "2027-03-10", received: "2027-06-10",
			want: want{"2027-03-15", "2027-06-10", 2, "2027-08-10", "2027-08-11", TacitPermit, "2027-06-10", false}},
		{name: "pieces awaited, on their last day", in: Instruction{Cerfa: CerfaDP},
			filed: "2027-02-15", asked: "2027-03-10", asOf: "2027-06-10",
			want: want{"2027-03-15", "", 1, "", "", TacitNonOpposition, "2027-06-10", false}},
		{name: "pieces not given within 3 months: a declaration lapses", in: Instruction{Cerfa: CerfaDP},
			filed: "2027-02-15", asked: "2027-03-10", asOf: "2027-06-11",
			want: want{"2027-03-15", "", 1, "", "2027-06-11", TacitOpposition, "2027-06-10", true},
			why:  "Les pièces demandées le 10 mars 2027 n'ont pas été fournies au plus tard le 10 juin 2027 : opposition tacite le 11 juin 2027 (R423-39)."},
		{name: "pieces not given within 3 months: a permit is refused", in: Instruction{Cerfa: CerfaPC},
			filed: "2027-02-15", asked: "2027-03-15", asOf: "2027-07-01",
			want: want{"2027-03-15", "", 3, "", "2027-06-16", TacitRefusal, "2027-06-15", true}},
		{name: "pieces received too late", in: Instruction{Cerfa: CerfaDP},
			filed: "2027-02-15", asked: "2027-03-10", received: "2027-06-14",
			want: want{"2027-03-15", "", 1, "", "2027-06-11", TacitOpposition, "2027-06-10", true}},
		{name: "the applicant's 3 months end on a Saturday", in: Instruction{Cerfa: CerfaDP},
			filed: "2027-02-15", asked: "2027-03-12", asOf: "2027-06-14",
			want: want{"2027-03-15", "", 1, "", "", TacitNonOpposition, "2027-06-14", false}},
	} {
		in := c.in
		in.Filed, in.PiecesAsked, in.PiecesReceived = on(t, c.filed), on(t, c.asked), on(t, c.received)
		s, err := in.Schedule(on(t, c.asOf))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		got := want{ymd(s.CompletenessBy), ymd(s.Complete), s.Months, ymd(s.Ends), ymd(s.Decision), s.Tacit, ymd(s.PiecesDue), s.Lapsed}
		if got != c.want {
			t.Errorf("%s:\n got  %+v\n want %+v", c.name, got, c.want)
		}
		if c.why != "" && !slices.Contains(s.Why, c.why) {
			t.Errorf("%s: Why lacks %q:\n%s", c.name, c.why, strings.Join(s.Why, "\n"))
		}
	}
}

func TestInstructionScheduleRefuses(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name                   string
		in                     Instruction
		filed, asked, received string
		code                   string
	}{
		{"an unknown kind", Instruction{Cerfa: "XX"}, "2027-02-15", "", "", guichet.EInvalid},
		{"no filing day", Instruction{Cerfa: CerfaDP}, "", "", "", guichet.EInvalid},
		{"pieces asked after the month", Instruction{Cerfa: CerfaDP}, "2027-02-15", "2027-03-16", "", guichet.EConflict},
		{"pieces asked before the filing", Instruction{Cerfa: CerfaDP}, "2027-02-15", "2027-02-14", "", guichet.EInvalid},
		{"pieces received without a request", Instruction{Cerfa: CerfaDP}, "2027-02-15", "", "2027-03-01", guichet.EInvalid},
		{"pieces received before the request", Instruction{Cerfa: CerfaDP}, "2027-02-15", "2027-03-10", "2027-03-09", guichet.EInvalid},
	} {
		in := c.in
		in.Filed, in.PiecesAsked, in.PiecesReceived = on(t, c.filed), on(t, c.asked), on(t, c.received)
		if _, err := in.Schedule(time.Time{}); guichet.ErrorCode(err) != c.code {
			t.Errorf("%s: error %v, want code %s", c.name, err, c.code)
		}
	}
}

func TestInstructionAskPieces(t *testing.T) {
	t.Parallel()
	dp := Instruction{Cerfa: CerfaDP, Filed: on(t, "2027-02-15")}
	for _, c := range []struct {
		name string
		in   Instruction
		day  string
		code string // "" when the request is accepted
	}{
		{"within the month", dp, "2027-03-10", ""},
		{"on the day of the filing", dp, "2027-02-15", ""},
		{"on the month's last day", dp, "2027-03-15", ""},
		{"the day after the month", dp, "2027-03-16", guichet.EConflict},
		{"before the filing", dp, "2027-02-14", guichet.EInvalid},
		// Filed on a Saturday: the month ends on Saturday 13 March, moved to Monday.
		{"on the Monday a weekend moved the month's end to",
			Instruction{Cerfa: CerfaDP, Filed: on(t, "2027-02-13")}, "2027-03-15", ""},
		{"a second request", Instruction{Cerfa: CerfaDP, Filed: on(t, "2027-02-15"), PiecesAsked: on(t, "2027-03-01")},
			"2027-03-10", guichet.EConflict},
		{"an unknown kind", Instruction{Cerfa: "XX", Filed: on(t, "2027-02-15")}, "2027-03-10", guichet.EInvalid},
		{"no filing day", Instruction{Cerfa: CerfaDP}, "2027-03-10", guichet.EInvalid},
	} {
		got, err := c.in.AskPieces(on(t, c.day))
		if guichet.ErrorCode(err) != c.code {
			t.Errorf("%s: error %v, want code %q", c.name, err, c.code)
			continue
		}
		if err == nil && ymd(got.PiecesAsked) != c.day {
			t.Errorf("%s: pieces asked on %s, want %s", c.name, ymd(got.PiecesAsked), c.day)
		}
		if err != nil && !got.PiecesAsked.Equal(c.in.PiecesAsked) {
			t.Errorf("%s: a refused request changed the instruction", c.name)
		}
	}

	// A request moves the period's start to the receipt of the pieces.
	asked, err := dp.AskPieces(on(t, "2027-03-10"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := asked.AskPieces(on(t, "2027-03-11")); guichet.ErrorCode(err) != guichet.EConflict ||
		!strings.Contains(guichet.ErrorMessage(err), "une seule demande") {
		t.Errorf("second request: %v", err)
	}
	if _, err := dp.AskPieces(on(t, "2027-03-16")); !strings.Contains(guichet.ErrorMessage(err), "au plus tard le 15 mars 2027") {
		t.Errorf("late request's message: %v", err)
	}
	asked.PiecesReceived = on(t, "2027-04-20")
	s, err := asked.Schedule(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if ymd(s.Complete) != "2027-04-20" || ymd(s.Ends) != "2027-05-20" {
		t.Errorf("after the pieces: complete %s, ends %s; want 2027-04-20 and 2027-05-20", ymd(s.Complete), ymd(s.Ends))
	}
}
