package urbanism

import (
	"fmt"
	"strings"
	"time"

	"guichet"
)

// Codes of the kinds of application (the cerfa forms).
const (
	CerfaPCMI = "PCMI" // permis de construire, maison individuelle
	CerfaPC   = "PC"   // permis de construire, autres constructions
	CerfaPA   = "PA"   // permis d'aménager
	CerfaPD   = "PD"   // permis de démolir
	CerfaDPMI = "DPMI" // déclaration préalable, maison individuelle
	CerfaDP   = "DP"   // déclaration préalable, autres travaux
	CerfaCUa  = "CUa"  // certificat d'urbanisme d'information
	CerfaCUb  = "CUb"  // certificat d'urbanisme opérationnel
)

// What the silence of the administration gives at the end of the
// instruction (R424-1, R424-2, R424-3, R410-12), as a resident reads it.
const (
	TacitPermit        = "permis tacite"
	TacitNonOpposition = "non-opposition tacite"
	TacitCertificate   = "certificat tacite"
	TacitRefusal       = "refus tacite"
	TacitOpposition    = "opposition tacite"
)

// Piece is one document of an application's file.
type Piece struct {
	Code     string // "DP1"
	Name     string // in French
	Required bool   // false when the project decides ("selon le projet")
}

// Cerfa is one kind of application: its form and the instruction it gets.
type Cerfa struct {
	Code   string // one of the Cerfa* constants
	Number string // the cerfa's number: "13703"
	Name   string // in French
	// Months is the ordinary instruction period (R423-23, R410-9, R410-10).
	Months int
	// Tacit is what silence gives at the end of the period (R424-1 b, R410-12).
	Tacit string
	// Refusal is what silence gives instead in the cases of R424-2 and
	// R424-3, or when the file is not completed in time (R423-39 a): a
	// refusal for a permit, an opposition for a declaration.
	Refusal string
	Pieces  []Piece
}

// Certificate reports whether c is a certificat d'urbanisme, instructed
// under R410 rather than R423.
func (c *Cerfa) Certificate() bool { return c.Code == CerfaCUa || c.Code == CerfaCUb }

// The plans shared by both declarations (DP1 to DP8); only the situation
// and the mass plan are always required, the others depend on the project.
var declarationPieces = []Piece{
	{"DP1", "Plan de situation du terrain", true},
	{"DP2", "Plan de masse des constructions", true},
	{"DP3", "Plan en coupe du terrain et de la construction", false},
	{"DP4", "Plan des façades et des toitures", false},
	{"DP5", "Représentation de l'aspect extérieur de la construction", false},
	{"DP6", "Document graphique d'insertion du projet", false},
	{"DP7", "Photographie de l'environnement proche", false},
	{"DP8", "Photographie de l'environnement lointain", false},
}

// Cerfas lists the kinds of application a commune instructs. Callers must
// not modify it.
var Cerfas = []Cerfa{
	{Code: CerfaPCMI, Number: "13406", Name: "Permis de construire pour une maison individuelle et/ou ses annexes",
		Months: 2, Tacit: TacitPermit, Refusal: TacitRefusal, Pieces: []Piece{
			{"PCMI1", "Plan de situation du terrain", true},
			{"PCMI2", "Plan de masse des constructions", true},
			{"PCMI3", "Plan en coupe du terrain et de la construction", true},
			{"PCMI4", "Notice décrivant le terrain et le projet", true},
			{"PCMI5", "Plan des façades et des toitures", true},
			{"PCMI6", "Document graphique d'insertion du projet", true},
			{"PCMI7", "Photographie de l'environnement proche", true},
			{"PCMI8", "Photographie de l'environnement lointain", true},
		}},
	{Code: CerfaPC, Number: "13409", Name: "Permis de construire (autres constructions)",
		Months: 3, Tacit: TacitPermit, Refusal: TacitRefusal, Pieces: []Piece{
			{"PC1", "Plan de situation du terrain", true},
			{"PC2", "Plan de masse des constructions", true},
			{"PC3", "Plan en coupe du terrain et de la construction", true},
			{"PC4", "Notice décrivant le terrain et le projet", true},
			{"PC5", "Plan des façades et des toitures", true},
			{"PC6", "Document graphique d'insertion du projet", true},
			{"PC7", "Photographie de l'environnement proche", true},
			{"PC8", "Photographie de l'environnement lointain", true},
		}},
	// The permis d'aménager shares the permis de construire's form.
	{Code: CerfaPA, Number: "13409", Name: "Permis d'aménager",
		Months: 3, Tacit: TacitPermit, Refusal: TacitRefusal, Pieces: []Piece{
			{"PA1", "Plan de situation du terrain", true},
			{"PA2", "Notice décrivant le terrain et le projet d'aménagement", true},
			{"PA4", "Plan de composition d'ensemble du projet", true},
		}},
	{Code: CerfaPD, Number: "13405", Name: "Permis de démolir",
		Months: 2, Tacit: TacitPermit, Refusal: TacitRefusal, Pieces: []Piece{
			{"PD1", "Plan de situation du terrain", true},
			{"PD2", "Plan de masse des constructions à démolir", true},
			{"PD3", "Photographie du ou des bâtiments à démolir", true},
		}},
	{Code: CerfaDPMI, Number: "13703", Name: "Déclaration préalable pour une maison individuelle et/ou ses annexes",
		Months: 1, Tacit: TacitNonOpposition, Refusal: TacitOpposition, Pieces: declarationPieces},
	{Code: CerfaDP, Number: "13404",
		Name:   "Déclaration préalable (constructions, travaux, installations et aménagements non soumis à permis)",
		Months: 1, Tacit: TacitNonOpposition, Refusal: TacitOpposition, Pieces: declarationPieces},
	// Both certificates share cerfa 13410: one month for the information
	// (R410-9), two for the operational one (R410-10).
	{Code: CerfaCUa, Number: "13410", Name: "Certificat d'urbanisme d'information",
		Months: 1, Tacit: TacitCertificate, Refusal: TacitRefusal, Pieces: []Piece{
			{"CU1", "Plan de situation du terrain", true},
		}},
	{Code: CerfaCUb, Number: "13410", Name: "Certificat d'urbanisme opérationnel",
		Months: 2, Tacit: TacitCertificate, Refusal: TacitRefusal, Pieces: []Piece{
			{"CU1", "Plan de situation du terrain", true},
			{"CU2", "Note descriptive succincte du projet", true},
			// Only when the land already bears buildings.
			{"CU3", "Plan du terrain", false},
		}},
}

// CerfaByCode returns the kind of application of code ("DP", "PCMI"…).
func CerfaByCode(code string) (*Cerfa, bool) {
	for i := range Cerfas {
		if Cerfas[i].Code == code {
			return &Cerfas[i], true
		}
	}
	return nil, false
}

// Instruction is what a commune knows of one application's instruction;
// days are midnight UTC, like guichet.Holidays's.
type Instruction struct {
	Cerfa   string // code: "DP", "PCMI"…
	Commune string // INSEE, for Alsace-Moselle's holidays
	// Protected: the land lies in a site patrimonial remarquable, the
	// abords of a monument historique, or a site classé or being classified.
	Protected bool
	// SilenceRejects: one of the cases of R424-2 or R424-3 (works on a
	// classified monument, in a site classé, an ABF's unfavourable opinion…)
	// where silence means refusal.
	SilenceRejects bool
	Filed          time.Time // receipt day (the AEE's)
	PiecesAsked    time.Time // zero when no missing pieces were asked
	PiecesReceived time.Time // zero until the applicant completes the file
}

// Schedule is an application's deadlines and the tacit decision they lead to.
type Schedule struct {
	CompletenessBy time.Time // last day to ask for missing pieces (R423-38)
	// Complete is the day the period runs from (R423-19); zero while the
	// asked pieces are awaited or once the application lapsed.
	Complete time.Time
	Months   int       // the period's length
	Ends     time.Time // last day of the period, weekends and holidays passed
	// Decision is the day a tacit decision arises: the day after Ends, or
	// after PiecesDue when Lapsed.
	Decision  time.Time
	Tacit     string    // what silence gives, one of the Tacit* constants
	PiecesDue time.Time // applicant's last day to give the pieces (zero when none asked)
	// Lapsed: the pieces did not come by PiecesDue, so the application is
	// tacitly rejected (R423-39 a).
	Lapsed bool
	Why    []string // short French sentences, one for each rule that shifted a date
}

// Schedule computes the application's deadlines. asOf is the day the
// schedule is read on: it only tells whether the awaited pieces are now
// too late (Lapsed); zero means unknown, and then only pieces received late
// make the application lapse.
func (in Instruction) Schedule(asOf time.Time) (Schedule, error) {
	c, err := in.check()
	if err != nil {
		return Schedule{}, err
	}
	alsace := guichet.AlsaceMoselle(in.Commune)
	var s Schedule
	s.CompletenessBy = monthsAfter(dayOf(in.Filed), 1, alsace, "le délai pour demander des pièces", &s.Why)
	if !in.PiecesAsked.IsZero() {
		if err := in.checkAsk(dayOf(in.PiecesAsked), s.CompletenessBy); err != nil {
			return Schedule{}, err
		}
		if !in.PiecesReceived.IsZero() && dayOf(in.PiecesReceived).Before(dayOf(in.PiecesAsked)) {
			return Schedule{}, guichet.Errorf(guichet.EInvalid, "Les pièces ne peuvent pas avoir été reçues avant d'avoir été demandées.")
		}
	} else if !in.PiecesReceived.IsZero() {
		return Schedule{}, guichet.Errorf(guichet.EInvalid, "Des pièces ne peuvent pas avoir été reçues sans avoir été demandées.")
	}

	s.Months = c.Months
	// R423-24 lengthens the periods of R423-23, not a certificate's.
	if in.Protected && !c.Certificate() {
		s.Months++
		s.Why = append(s.Why, "Le terrain est dans un espace protégé : le délai d'instruction est majoré d'un mois (R423-24).")
	}
	s.Tacit = c.Tacit
	switch {
	case in.SilenceRejects:
		s.Tacit = c.Refusal
		s.Why = append(s.Why, fmt.Sprintf("Le projet relève des exceptions de R424-2 ou R424-3 : le silence vaut %s.", c.Refusal))
	case in.Protected && c.Code == CerfaPD:
		// A demolition in a protected area is one of R424-2's exceptions.
		s.Tacit = c.Refusal
		s.Why = append(s.Why, fmt.Sprintf("Démolition dans un espace protégé : le silence vaut %s (R424-2).", c.Refusal))
	}

	if in.PiecesAsked.IsZero() {
		// Without a request within the month the file counts as complete
		// from its receipt (R423-22).
		s.Complete = dayOf(in.Filed)
		s.Why = append(s.Why, fmt.Sprintf("Sans demande de pièces d'ici le %s, le dossier est réputé complet dès son dépôt le %s (R423-22).",
			guichet.Date(s.CompletenessBy, "fr"), guichet.Date(s.Complete, "fr")))
	} else {
		asked := dayOf(in.PiecesAsked)
		s.PiecesDue = monthsAfter(asked, 3, alsace, "le délai pour fournir les pièces", &s.Why)
		received := dayOf(in.PiecesReceived)
		if in.PiecesReceived.IsZero() {
			s.Lapsed = !asOf.IsZero() && dayOf(asOf).After(s.PiecesDue)
		} else {
			s.Lapsed = received.After(s.PiecesDue)
		}
		switch {
		case s.Lapsed:
			s.Decision = s.PiecesDue.AddDate(0, 0, 1)
			s.Tacit = c.Refusal
			s.Why = append(s.Why, fmt.Sprintf("Les pièces demandées le %s n'ont pas été fournies au plus tard le %s : %s le %s (R423-39).",
				guichet.Date(asked, "fr"), guichet.Date(s.PiecesDue, "fr"), c.Refusal, guichet.Date(s.Decision, "fr")))
			return s, nil
		case in.PiecesReceived.IsZero():
			s.Why = append(s.Why, fmt.Sprintf("Des pièces ont été demandées le %s : le délai d'instruction courra de leur réception (R423-39).",
				guichet.Date(asked, "fr")))
			return s, nil
		}
		s.Complete = received
		s.Why = append(s.Why, fmt.Sprintf("Le dossier a été complété le %s : le délai d'instruction court de ce jour (R423-39).",
			guichet.Date(received, "fr")))
	}
	s.Ends = monthsAfter(s.Complete, s.Months, alsace, "le délai d'instruction", &s.Why)
	s.Decision = s.Ends.AddDate(0, 0, 1)
	return s, nil
}

// AskPieces records the request for missing pieces sent on day. The law
// allows one request, within a month of the receipt (R423-38); a later
// one would not stop the file from being deemed complete (R423-22).
func (in Instruction) AskPieces(day time.Time) (Instruction, error) {
	if _, err := in.check(); err != nil {
		return in, err
	}
	if !in.PiecesAsked.IsZero() {
		return in, guichet.Errorf(guichet.EConflict, "Les pièces manquantes ont déjà été demandées le %s : une seule demande est possible (R423-38).",
			guichet.Date(dayOf(in.PiecesAsked), "fr"))
	}
	by := monthsAfter(dayOf(in.Filed), 1, guichet.AlsaceMoselle(in.Commune), "", nil)
	if err := in.checkAsk(dayOf(day), by); err != nil {
		return in, err
	}
	in.PiecesAsked = dayOf(day)
	return in, nil
}

// check returns the application's kind once its essentials are known.
func (in Instruction) check() (*Cerfa, error) {
	c, ok := CerfaByCode(in.Cerfa)
	if !ok {
		return nil, guichet.Errorf(guichet.EInvalid, "Type de demande inconnu : %q.", in.Cerfa)
	}
	if in.Filed.IsZero() {
		return nil, guichet.Errorf(guichet.EInvalid, "La date de dépôt de la demande manque.")
	}
	return c, nil
}

// checkAsk tells whether missing pieces may be asked on day, by being the
// last day to ask.
func (in Instruction) checkAsk(day, by time.Time) error {
	filed := dayOf(in.Filed)
	if day.Before(filed) {
		return guichet.Errorf(guichet.EInvalid, "Les pièces ne peuvent pas être demandées avant le dépôt de la demande, le %s.",
			guichet.Date(filed, "fr"))
	}
	if day.After(by) {
		return guichet.Errorf(guichet.EConflict, "Les pièces manquantes devaient être demandées au plus tard le %s, dans le mois du dépôt (R423-38) : le dossier est réputé complet depuis le %s (R423-22).",
			guichet.Date(by, "fr"), guichet.Date(filed, "fr"))
	}
	return nil
}

// monthsAfter returns the last day of a period of n months starting on
// from, as the Code de procédure civile counts it (art. 640 to 642): the
// day of the event is not counted, the period ends on the day bearing the
// same number n months later, or on the month's last day when there is
// none, and an end on a weekend or a public holiday moves to the next
// working day. It notes in why, naming the period what, each such shift;
// why may be nil.
func monthsAfter(from time.Time, n int, alsace bool, what string, why *[]string) time.Time {
	y, m, d := from.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	end := time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, time.UTC)
	if d > last && why != nil {
		*why = append(*why, fmt.Sprintf("Il n'y a pas de %d %s : %s finit le dernier jour du mois, le %s.",
			d, monthAndYear(first), what, guichet.Date(end, "fr")))
	}
	moved := end
	for !guichet.WorkingDay(moved, alsace) {
		moved = moved.AddDate(0, 0, 1)
	}
	if !moved.Equal(end) && why != nil {
		weekday, _, _ := strings.Cut(guichet.LongDate(end, "fr"), " ")
		reason := "est un " + weekday
		if h := guichet.HolidayName(end, alsace); h != "" {
			reason = "est férié (" + h + ")"
		}
		*why = append(*why, fmt.Sprintf("Le %s %s : %s est prolongé au %s (art. 642 du code de procédure civile).",
			guichet.Date(end, "fr"), reason, what, guichet.LongDate(moved, "fr")))
	}
	return moved
}

// monthAndYear writes day's month and year in French: "février 2027".
func monthAndYear(day time.Time) string {
	_, s, _ := strings.Cut(guichet.Date(day, "fr"), " ") // after "1er"
	return s
}

// dayOf drops the time of day, keeping the calendar date.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
