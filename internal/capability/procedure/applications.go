package procedure

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"guichet"
	"guichet/internal/kernel/applications"
	"guichet/internal/kernel/db"
)

// An application (autorisation d'urbanisme: a déclaration préalable, a
// permis de construire) is a case of a procedure whose Application names
// its kind: the law (applications.Law, which the territory's capability
// knows) times it from its parcel and its filing day, counts the one
// request for missing pieces, and gives the tacit decision that silence
// brings. The case's own deadline (due_at) follows those dates, so that
// the silence run decides it at the right day.

// parcelPattern is a parcel reference as the cadastre writes it: INSEE
// code (Corsica's 2A and 2B included), prefix, section, number.
var parcelPattern = regexp.MustCompile(`^[0-9][0-9AB][0-9]{3}[0-9]{3}[0-9A-Z]{2}[0-9]{4}$`)

// ParcelField is the key of the field holding an application's parcel
// reference (14 characters, as the cadastre writes it).
const ParcelField = "parcelle"

// CaseApplication is what a case adds as an application.
type CaseApplication struct {
	Kind   string
	Parcel string
	// Registration is the application's registration number ("DP 69114
	// 26 00012": kind, commune, year, number).
	Registration string
	// Filed, PiecesAsked and PiecesReceived are the collectivité's days
	// (zero when not).
	Filed, PiecesAsked, PiecesReceived time.Time
	// Dates are what the law makes of them today.
	Dates applications.Dates
}

// ErrNoLaw refuses an application when no capability knows its law.
var ErrNoLaw = guichet.Errorf(guichet.EConflict, "Les demandes d'urbanisme ne sont pas disponibles sur ce site.")

// law returns the law of applications, or ErrNoLaw.
func (s *Store) law() (applications.Law, error) {
	if s.Law == nil || s.Law() == nil {
		return nil, ErrNoLaw
	}
	return s.Law(), nil
}

// zone is the collectivité's time zone: its days are the law's days.
func (s *Store) zone(ctx context.Context, tenantID string) *time.Location {
	if s.Zone == nil {
		return time.UTC
	}
	loc, err := s.Zone(ctx, tenantID)
	if err != nil || loc == nil {
		return time.UTC
	}
	return loc
}

// day is t's calendar day in loc, as the law counts days.
func day(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// startOf is the instant a calendar day starts in loc.
func startOf(day time.Time, loc *time.Location) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc).UTC()
}

// ApplicationKind returns the kind of application named code.
func (s *Store) ApplicationKind(code string) (applications.Kind, error) {
	law, err := s.law()
	if err != nil {
		return applications.Kind{}, err
	}
	for _, k := range law.Kinds() {
		if k.Code == code {
			return k, nil
		}
	}
	return applications.Kind{}, guichet.Errorf(guichet.EInvalid, "Type de demande d'urbanisme inconnu.")
}

// fileApplication records a case's application at its filing, numbered
// last in its year, and returns the instant its tacit decision arises.
func (s *Store) fileApplication(ctx context.Context, tx *db.Tx, c *Case, p *Procedure, now time.Time, last int) (time.Time, error) {
	law, err := s.law()
	if err != nil {
		return time.Time{}, err
	}
	loc := s.zone(ctx, c.TenantID)
	parcel := strings.ToUpper(strings.TrimSpace(c.Answers[ParcelField].Value))
	a := applications.Application{Kind: p.Application, Parcel: parcel, Filed: day(now, loc)}
	dates, err := law.Dates(ctx, c.TenantID, a, now.In(loc))
	if err != nil {
		if guichet.ErrorCode(err) == guichet.EInvalid {
			return time.Time{}, guichet.Invalid(map[string]string{InputName(ParcelField): guichet.ErrorMessage(err)})
		}
		return time.Time{}, err
	}
	commune := parcel
	if len(commune) >= 5 {
		commune = commune[:5]
	}
	registration := fmt.Sprintf("%s %s %02d %05d", registrationKind(p.Application), commune, now.In(loc).Year()%100, last)
	_, err = tx.Exec(ctx, `INSERT INTO case_applications (tenant_id, case_id, kind, parcel, registration, filed_on)
		VALUES (?, ?, ?, ?, ?, ?)`, c.TenantID, c.ID, p.Application, parcel, registration, a.Filed.Format(dateLayout))
	if err != nil {
		return time.Time{}, err
	}
	return startOf(dates.Decision, loc), nil
}

// registrationKind is the kind as a registration number writes it: the
// permit or declaration, whatever its variant.
func registrationKind(kind string) string {
	switch kind {
	case "PCMI":
		return "PC"
	case "DPMI":
		return "DP"
	case "CUa", "CUb":
		return "CU"
	}
	return kind
}

const dateLayout = "2006-01-02"

// Application returns what a case adds as an application, with its
// dates as of now; nil for a case of an ordinary procedure or a draft.
func (s *Store) Application(ctx context.Context, c *Case) (*CaseApplication, error) {
	a, err := s.readApplication(ctx, s.db, c)
	if a == nil || err != nil {
		return nil, err
	}
	law, err := s.law()
	if err != nil {
		return nil, err
	}
	loc := s.zone(ctx, c.TenantID)
	a.Dates, err = law.Dates(ctx, c.TenantID, applications.Application{Kind: a.Kind, Parcel: a.Parcel, Filed: a.Filed,
		PiecesAsked: a.PiecesAsked, PiecesReceived: a.PiecesReceived}, s.now().In(loc))
	return a, err
}

func (s *Store) readApplication(ctx context.Context, q db.Querier, c *Case) (*CaseApplication, error) {
	a := &CaseApplication{}
	var filed, asked, received string
	err := q.QueryRow(ctx, `SELECT kind, parcel, registration, filed_on, pieces_asked_on, pieces_received_on
		FROM case_applications WHERE tenant_id = ? AND case_id = ?`, c.TenantID, c.ID).
		Scan(&a.Kind, &a.Parcel, &a.Registration, &filed, &asked, &received)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("application", err)
	}
	for _, d := range []struct {
		text string
		to   *time.Time
	}{{filed, &a.Filed}, {asked, &a.PiecesAsked}, {received, &a.PiecesReceived}} {
		if d.text != "" {
			if *d.to, err = time.Parse(dateLayout, d.text); err != nil {
				return nil, wrap("application date", err)
			}
		}
	}
	return a, nil
}

// ErrPiecesAskedTwice refuses a second request for missing pieces.
var ErrPiecesAskedTwice = guichet.Errorf(guichet.EConflict,
	"Les pièces manquantes ont déjà été demandées une fois : la loi ne permet pas une seconde demande (R423-38).")

// applicationStep records, in the transition's transaction, what a
// state change means for an application: a request for missing pieces
// (once, within the month after filing: the applicant then has three
// months), or their receipt, from which the instruction runs. It returns
// the case's new deadline, or due unchanged.
func (s *Store) applicationStep(ctx context.Context, tx *db.Tx, c *Case, to State, now time.Time, due *time.Time) (*time.Time, error) {
	a, err := s.readApplication(ctx, tx, c)
	if a == nil || err != nil {
		return due, err
	}
	loc := s.zone(ctx, c.TenantID)
	today := day(now, loc)
	column := ""
	switch {
	case to == Waiting && !a.PiecesAsked.IsZero():
		return nil, ErrPiecesAskedTwice
	case to == Waiting:
		a.PiecesAsked, column = today, "pieces_asked_on"
	case c.State == Waiting && to == Instruction:
		a.PiecesReceived, column = today, "pieces_received_on"
	default:
		return due, nil
	}
	law, err := s.law()
	if err != nil {
		return nil, err
	}
	dates, err := law.Dates(ctx, c.TenantID, applications.Application{Kind: a.Kind, Parcel: a.Parcel, Filed: a.Filed,
		PiecesAsked: a.PiecesAsked, PiecesReceived: a.PiecesReceived}, now.In(loc))
	if err != nil {
		return nil, err
	}
	// The dates move: the decision's reminder is due again.
	if _, err := tx.Exec(ctx, `UPDATE case_applications SET `+column+` = ?, reminded = '' WHERE tenant_id = ? AND case_id = ?`,
		today.Format(dateLayout), c.TenantID, c.ID); err != nil {
		return nil, err
	}
	// Awaiting pieces, the deadline is the applicant's: past it, the
	// application lapses (R423-39 a).
	next := startOf(dates.Decision, loc)
	if to == Waiting {
		next = startOf(dates.PiecesDue.AddDate(0, 0, 1), loc)
	}
	return &next, nil
}

// silenceOf says what silence decides for an application at its
// deadline, and why; ok is false for a case of an ordinary procedure.
func (s *Store) silenceOf(ctx context.Context, c *Case) (to State, why string, ok bool, err error) {
	a, err := s.Application(ctx, c)
	if a == nil || err != nil {
		return "", "", false, err
	}
	d := a.Dates
	to = Accepted
	if d.Refusal || d.Lapsed {
		to = Refused
	}
	why = fmt.Sprintf("%s le %s : aucune décision n'a été notifiée dans le délai d'instruction (R424-1).",
		capitalize(d.Tacit), guichet.Date(d.Decision, "fr"))
	if d.Lapsed {
		why = fmt.Sprintf("%s le %s : les pièces demandées n'ont pas été fournies au plus tard le %s (R423-39).",
			capitalize(d.Tacit), guichet.Date(d.Decision, "fr"), guichet.Date(d.PiecesDue, "fr"))
	}
	return to, why, true, nil
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// ValidParcel reports whether s is written as a parcel reference.
func ValidParcel(s string) bool { return parcelPattern.MatchString(s) }

// pieceSize is the largest file a piece may be: the law asks that an
// online filing take at least 10 MB a piece; plans and photographs of a
// project often weigh more.
const pieceSize = 25 << 20

// ApplicationForm is the form of an application of kind: the land (its
// parcel, filled in from the parcel's sheet), the applicant, the
// project, and one upload per piece the kind asks for, each labelled
// with its code as the cerfa's notice names it ("DP1 – plan de
// situation du terrain").
func ApplicationForm(kind applications.Kind) *Form {
	pieces := Section{Title: "Pièces du dossier"}
	for _, p := range kind.Pieces {
		hint := "PDF, JPEG ou PNG, 25 Mo au plus."
		if !p.Required {
			hint = "Selon votre projet : voir la notice du cerfa " + kind.Number + ". PDF, JPEG ou PNG, 25 Mo au plus."
		}
		pieces.Fields = append(pieces.Fields, Field{Key: strings.ToLower(p.Code), Type: File, Label: p.Code + " – " + p.Name,
			Hint: hint, Required: p.Required, Accept: []string{"pdf", "jpg", "jpeg", "png"}, MaxSize: pieceSize})
	}
	return &Form{Pages: []Page{
		{Title: "Le terrain", Sections: []Section{{Title: "Le terrain", Fields: []Field{
			{Key: ParcelField, Type: Text, Label: "Référence cadastrale de la parcelle", Required: true,
				Hint:    "14 caractères, par exemple 69114000AB0030 : elle figure sur la fiche de la parcelle.",
				Pattern: parcelPattern.String(), MinLength: 14, MaxLength: 14},
			{Key: "adresse_terrain", Type: Address, Label: "Adresse du terrain"},
		}}}},
		{Title: "Le demandeur", Sections: []Section{{Title: "Le demandeur", Fields: []Field{
			{Key: "prenom", Type: Text, Label: "Prénom", Required: true, MaxLength: 100},
			{Key: "nom", Type: Text, Label: "Nom", Required: true, MaxLength: 100},
			{Key: "telephone", Type: Phone, Label: "Téléphone"},
		}}}},
		{Title: "Le projet", Sections: []Section{{Title: "Le projet", Fields: []Field{
			{Key: "nature", Type: LongText, Label: "Nature des travaux", Required: true, MaxLength: 2000,
				Hint: "Par exemple : construction d'un abri de jardin de 12 m², pose d'une clôture, extension de la maison."},
			{Key: "surface", Type: Number, Label: "Surface de plancher créée (m²)", Min: textBound("0"), Max: textBound("100000")},
		}}}},
		{Title: "Les pièces", Sections: []Section{pieces}},
	}}
}

func textBound(s string) *string { return &s }

// NewApplicationProcedure returns a procedure taking applications of
// kind, with its form, for the agents of service: silence means what the
// law says, case by case, and the deadline is the law's.
func NewApplicationProcedure(tenantID, slug, title, service string, kind applications.Kind) *Procedure {
	return &Procedure{TenantID: tenantID, Slug: slug, Title: title, Service: service, Application: kind.Code,
		Summary:      fmt.Sprintf("%s (cerfa %s), instruite en %d mois à compter du dossier complet.", kind.Name, kind.Number, kind.Months),
		DeadlineDays: min(730, kind.Months*31), Silence: SilenceAccord, RetentionDays: applicationRetentionDays, Open: true,
		Draft: ApplicationForm(kind)}
}

// applicationRetentionDays keeps an application ten years after its
// decision, the longest a procedure may: a permit can be contested, and
// its works checked, for years after it is granted.
const applicationRetentionDays = 3650

// ApplicationText says, for the receipt, what the law makes of a filed
// application: its registration, the month in which pieces may be
// asked, and the tacit decision.
func ApplicationText(a *CaseApplication) string {
	d := a.Dates
	return fmt.Sprintf("Numéro d'enregistrement : %s. Si aucune pièce ne vous est demandée d'ici le %s, votre dossier est complet. "+
		"Sans décision notifiée au plus tard le %s, le silence de la mairie vaudra %s le %s.", a.Registration,
		guichet.LongDate(d.CompletenessBy, "fr"), guichet.LongDate(d.Ends, "fr"), d.Tacit, guichet.LongDate(d.Decision, "fr"))
}

// Reminders before an application's deadlines: a week before the last
// day to ask for missing pieces (after it, the file is complete), and
// two weeks before the instruction ends (after it, silence decides).
const (
	remindCompleteness = 7
	remindDecision     = 14
)

// Reminder is a deadline an instructor should hear of.
type Reminder struct {
	Case *Case
	// Body says the deadline, in French.
	Body string
}

// DueReminders returns the reminders due today, each once: it records
// them as given.
func (s *Store) DueReminders(ctx context.Context) ([]Reminder, error) {
	rows, err := s.db.Query(ctx, `SELECT c.tenant_id, c.id, a.reminded FROM cases c JOIN case_applications a
		ON a.tenant_id = c.tenant_id AND a.case_id = c.id WHERE c.state IN (?, ?) AND a.reminded NOT LIKE '%d%'
		ORDER BY c.due_at LIMIT 2000`, string(Filed), string(Instruction))
	if err != nil {
		return nil, wrap("reminders", err)
	}
	type pending struct{ tenantID, id, reminded string }
	var list []pending
	for rows.Next() {
		var p pending
		if err := rows.Scan(&p.tenantID, &p.id, &p.reminded); err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, p)
	}
	rows.Close()
	var out []Reminder
	for _, p := range list {
		c, err := s.Case(ctx, p.tenantID, p.id)
		if err != nil {
			return out, err
		}
		a, err := s.Application(ctx, c)
		if a == nil || err != nil {
			return out, err
		}
		today := day(s.now(), s.zone(ctx, c.TenantID))
		d, flag, body := a.Dates, "", ""
		switch {
		case !strings.Contains(p.reminded, "c") && c.State == Filed && a.PiecesAsked.IsZero() &&
			!today.Before(d.CompletenessBy.AddDate(0, 0, -remindCompleteness)) && !today.After(d.CompletenessBy):
			flag = "c"
			body = fmt.Sprintf("Des pièces manquantes ne peuvent être demandées que jusqu'au %s (R423-38) : après, le dossier est réputé complet.",
				guichet.LongDate(d.CompletenessBy, "fr"))
		case !d.Ends.IsZero() && !today.Before(d.Ends.AddDate(0, 0, -remindDecision)) && !today.After(d.Ends):
			flag = "d"
			body = fmt.Sprintf("Sans décision notifiée au plus tard le %s, le silence vaudra %s le %s.",
				guichet.LongDate(d.Ends, "fr"), d.Tacit, guichet.LongDate(d.Decision, "fr"))
		default:
			continue
		}
		if _, err := s.db.Exec(ctx, `UPDATE case_applications SET reminded = reminded || ? WHERE tenant_id = ? AND case_id = ?`,
			flag, c.TenantID, c.ID); err != nil {
			return out, wrap("reminded", err)
		}
		out = append(out, Reminder{Case: c, Body: body})
	}
	return out, nil
}

// Register lists a collectivité's applications for the public register:
// those instructed now, and those decided since since (the register keeps
// a decision two months). It reads what the public may know of each: its
// registration, kind, parcel, the land's address and the works, never
// the applicant.
func (s *Store) Register(ctx context.Context, tenantID string, since time.Time) ([]applications.Filing, error) {
	loc := s.zone(ctx, tenantID)
	var out []applications.Filing
	err := db.Each(ctx, s.db, `SELECT c.id, a.registration, a.kind, a.parcel, a.filed_on, c.state, c.closed_at, c.answers,
		COALESCE((SELECT e.actor_id = '' AND e.actor_name = ? FROM case_events e WHERE e.tenant_id = c.tenant_id
			AND e.case_id = c.id AND e.kind = 'state' ORDER BY e.at DESC LIMIT 1), FALSE)
		FROM case_applications a JOIN cases c ON c.tenant_id = a.tenant_id AND c.id = a.case_id
		WHERE a.tenant_id = ? AND (c.state IN (?, ?, ?) OR c.closed_at >= ?)
		ORDER BY a.filed_on DESC, a.registration DESC LIMIT 500`, func(r db.Row) error {
		var f applications.Filing
		var filed, state, raw string
		var closed sql.NullTime
		if err := r.Scan(&f.ID, &f.Registration, &f.Kind, &f.Parcel, &filed, &state, &closed, &raw, &f.Tacit); err != nil {
			return err
		}
		var err error
		if f.Filed, err = time.Parse(dateLayout, filed); err != nil {
			return err
		}
		if closed.Valid {
			f.Decided = day(closed.Time, loc)
			f.Outcome = map[State]string{Accepted: "accordée", Refused: "refusée", Dismissed: "classée sans suite"}[State(state)]
		} else {
			f.Tacit = false
		}
		var answers Answers
		if err := json.Unmarshal([]byte(raw), &answers); err != nil {
			return err
		}
		f.Address, f.Nature = answers["adresse_terrain"].Value, answers["nature"].Value
		out = append(out, f)
		return nil
	}, System.Name, tenantID, string(Filed), string(Instruction), string(Waiting), since)
	return out, wrap("register", err)
}
