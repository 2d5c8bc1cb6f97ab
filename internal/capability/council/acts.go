package council

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/pdf"
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// Act is a deliberation of the council, or an arrêté or decision of the
// mayor. Once published it never changes.
type Act struct {
	ID, TenantID, Kind string
	Number             string // "2026-045", unique per kind
	SessionID, ItemID  string // a deliberation's session and agenda item
	AdoptedOn          string // the act's date (YYYY-MM-DD)
	SubjectCode        string // ACTES "x.y"
	Title              string // its object
	Body               string // its full text, in Markdown: the accessible version
	Outcome            string // Adopted or Rejected (deliberations)
	Vote               *Vote  // a deliberation's vote; nil for the mayor's acts
	BudgetYear         string // "2026" or "2026/2027", optional
	BudgetName         string
	PrefectureID       string // the ACTES transmission's identifier
	TransmittedOn      string
	FileID             string // the signed act as PDF
	File               *File
	// OnlineUntil ends the act's publication online (at least two months
	// after it, R2131-1); "" keeps it online for good.
	OnlineUntil string
	// RectifiesID names the act this one corrects; RectifiedBy, read,
	// the published acts correcting this one.
	RectifiesID          string
	Rectifies            *ActRef
	RectifiedBy          []ActRef
	Status               string // Draft or Published
	PublishedAt          *time.Time
	PublishedBy, Author  string
	CreatedAt, UpdatedAt time.Time
}

// ActRef names another act.
type ActRef struct{ ID, Kind, Number, Title string }

// URL is the act's public path.
func (r ActRef) URL() string { return "/actes/" + Slug(r.Kind, r.Number) }

// Vote is the count of a deliberation's ballot.
type Vote struct {
	InOffice    int // members in office (VOTE_EFFECTIF)
	Voters      int // members who took part, abstaining included (VOTE_REEL)
	For         int
	Against     int
	Abstentions int
	// Public ballots record each member's choice by name.
	Public bool
	Names  []NamedVote
}

// NamedVote is one member's choice in a public ballot.
type NamedVote struct{ Name, Choice string }

// Choices of a public ballot.
var Choices = []string{"pour", "contre", "abstention"}

// Slug is an act's address: "deliberation-2026-045".
func Slug(kind, number string) string { return kind + "-" + number }

// URL is the act's public path.
func (a *Act) URL() string { return "/actes/" + Slug(a.Kind, a.Number) }

// Ref names the act.
func (a *Act) Ref() ActRef { return ActRef{ID: a.ID, Kind: a.Kind, Number: a.Number, Title: a.Title} }

// Subject returns the act's ACTES subject.
func (a *Act) Subject() Subject { s, _ := SubjectOf(a.SubjectCode); return s }

// Online reports whether the public sees the act on day.
func (a *Act) Online(day string) bool {
	return a.Status == Published && (a.OnlineUntil == "" || a.OnlineUntil >= day)
}

var (
	numberPattern = regexp.MustCompile(`^[A-Z]{0,3}\d{4}-\d{1,4}$`)
	yearPattern   = regexp.MustCompile(`^\d{4}(/\d{4})?$`)
)

// validate checks a draft and names each wrong field.
func (a *Act) validate() error {
	errs := map[string]string{}
	a.Number, a.Title = strings.TrimSpace(a.Number), strings.TrimSpace(a.Title)
	a.BudgetYear, a.BudgetName = strings.TrimSpace(a.BudgetYear), strings.TrimSpace(a.BudgetName)
	a.PrefectureID = strings.TrimSpace(a.PrefectureID)
	if !slices.Contains(ActKinds, a.Kind) {
		errs["kind"] = "Choisissez le type d'acte."
	}
	if !numberPattern.MatchString(a.Number) {
		errs["number"] = "Le numéro s'écrit année-numéro, par exemple 2026-045."
	}
	if _, err := ParseDate(a.AdoptedOn); err != nil {
		errs["adopted_on"] = "Indiquez la date de l'acte."
	} else if errs["number"] == "" && !strings.Contains(a.Number, a.AdoptedOn[:4]+"-") {
		errs["number"] = "Le numéro commence par l'année de l'acte."
	}
	if _, ok := SubjectOf(a.SubjectCode); !ok {
		errs["subject"] = "Choisissez la matière de la nomenclature ACTES."
	}
	publishing.CheckText(errs, "title", a.Title, 5, 500, "Indiquez l'objet de l'acte.", "L'objet dépasse 500 caractères.")
	publishing.CheckText(errs, "body", strings.TrimSpace(a.Body), 20, 200000, "Écrivez le texte de l'acte.", "Le texte dépasse 200 000 caractères.")
	if a.BudgetYear != "" {
		if !yearPattern.MatchString(a.BudgetYear) || (len(a.BudgetYear) == 9 && !consecutiveYears(a.BudgetYear)) {
			errs["budget_year"] = "L'exercice s'écrit 2026, ou 2026/2027."
		}
		if a.BudgetName == "" {
			errs["budget_name"] = "Nommez le budget de l'exercice (budget principal, budget annexe…)."
		}
	} else if a.BudgetName != "" {
		errs["budget_year"] = "Indiquez l'exercice du budget nommé."
	}
	publishing.CheckText(errs, "budget_name", a.BudgetName, 0, 200, "", "Le nom du budget dépasse 200 caractères.")
	publishing.CheckText(errs, "prefecture_id", a.PrefectureID, 0, 100, "", "L'identifiant dépasse 100 caractères.")
	if a.TransmittedOn != "" {
		if _, err := ParseDate(a.TransmittedOn); err != nil || (a.AdoptedOn != "" && a.TransmittedOn < a.AdoptedOn) {
			errs["transmitted_on"] = "La transmission en préfecture suit la date de l'acte."
		}
	}
	if a.OnlineUntil != "" {
		if _, err := ParseDate(a.OnlineUntil); err != nil {
			errs["online_until"] = "Indiquez une date, ou laissez vide pour garder l'acte en ligne."
		}
	}
	if a.Kind == Deliberation {
		if a.Outcome != Adopted && a.Outcome != Rejected {
			errs["outcome"] = "Indiquez si la délibération est adoptée ou rejetée."
		}
		if a.Vote == nil {
			errs["in_office"] = "Indiquez le vote de la délibération."
		} else {
			a.Vote.check(errs)
		}
	} else {
		a.Vote, a.Outcome, a.SessionID, a.ItemID = nil, Adopted, "", ""
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

func consecutiveYears(v string) bool {
	var a, b int
	_, err := fmt.Sscanf(v, "%d/%d", &a, &b)
	return err == nil && b == a+1
}

// check names the vote's inconsistent counts: those who took part count
// for, against and abstaining, and no more than the members in office.
func (v *Vote) check(errs map[string]string) {
	switch {
	case v.InOffice < 1 || v.InOffice > 200:
		errs["in_office"] = "Indiquez le nombre de membres en exercice."
	case v.For < 0 || v.Against < 0 || v.Abstentions < 0:
		errs["votes_for"] = "Les nombres de voix ne sont pas négatifs."
	case v.Voters != v.For+v.Against+v.Abstentions:
		errs["voters"] = "Les votants sont la somme des voix pour, contre et des abstentions."
	case v.Voters > v.InOffice:
		errs["voters"] = "Il ne peut y avoir plus de votants que de membres en exercice."
	}
	if !v.Public {
		v.Names = nil
		return
	}
	counts := map[string]int{}
	for _, n := range v.Names {
		if strings.TrimSpace(n.Name) == "" || !slices.Contains(Choices, n.Choice) {
			errs["names"] = "Chaque nom du scrutin public porte un choix : pour, contre ou abstention."
			return
		}
		counts[n.Choice]++
	}
	if counts["pour"] != v.For || counts["contre"] != v.Against || counts["abstention"] != v.Abstentions {
		errs["names"] = "Les noms du scrutin public ne correspondent pas au décompte des voix."
	}
}

const actColumns = `id, tenant_id, kind, number, session_id, item_id, adopted_on, subject_code, title, body, outcome, has_vote,
	in_office, voters, votes_for, votes_against, abstentions, public_ballot, budget_year, budget_name, prefecture_id,
	transmitted_on, file_id, online_until, rectifies_id, status, published_at, published_by, author, created_at, updated_at`

func scanAct(row interface{ Scan(...any) error }) (*Act, error) {
	var a Act
	var hasVote bool
	var v Vote
	var published sql.NullTime
	err := row.Scan(&a.ID, &a.TenantID, &a.Kind, &a.Number, &a.SessionID, &a.ItemID, &a.AdoptedOn, &a.SubjectCode, &a.Title,
		&a.Body, &a.Outcome, &hasVote, &v.InOffice, &v.Voters, &v.For, &v.Against, &v.Abstentions, &v.Public, &a.BudgetYear,
		&a.BudgetName, &a.PrefectureID, &a.TransmittedOn, &a.FileID, &a.OnlineUntil, &a.RectifiesID, &a.Status, &published,
		&a.PublishedBy, &a.Author, &a.CreatedAt, &a.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, wrap("act", err)
	}
	if hasVote {
		a.Vote = &v
	}
	a.PublishedAt = publishing.FromNull(published)
	return &a, nil
}

// SaveAct creates (empty ID) or updates a draft act as author. A
// published act is never written again (ErrPublished): the update
// names the draft state, and each engine's trigger refuses the rest.
func (s *Store) SaveAct(ctx context.Context, a *Act, author string) error {
	if err := a.validate(); err != nil {
		return err
	}
	if a.RectifiesID != "" {
		old, err := s.Act(ctx, a.TenantID, a.RectifiesID)
		if err != nil || old.Status != Published || old.ID == a.ID {
			return guichet.Invalid(map[string]string{"rectifies": "Un acte rectificatif corrige un acte publié."})
		}
	}
	if a.SessionID != "" {
		x, err := s.Session(ctx, a.TenantID, a.SessionID)
		if err != nil {
			return guichet.Invalid(map[string]string{"session": "Choisissez une séance du conseil."})
		}
		if a.ItemID != "" && !containsItem(x.Items, a.ItemID) {
			return guichet.Invalid(map[string]string{"item": "Choisissez un point de l'ordre du jour de la séance."})
		}
	}
	now := s.Stamp()
	a.Author, a.UpdatedAt, a.Status = author, now, Draft
	creating := a.ID == ""
	v := a.Vote
	if v == nil {
		v = &Vote{}
	}
	err := s.DB().InTx(ctx, func(tx *db.Tx) error {
		if creating {
			a.ID, a.CreatedAt = uuid.NewString(), now
			if _, err := tx.Exec(ctx, `INSERT INTO council_acts (`+actColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
				?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.TenantID, a.Kind, a.Number, a.SessionID, a.ItemID, a.AdoptedOn,
				a.SubjectCode, a.Title, a.Body, a.Outcome, a.Vote != nil, v.InOffice, v.Voters, v.For, v.Against, v.Abstentions,
				v.Public, a.BudgetYear, a.BudgetName, a.PrefectureID, a.TransmittedOn, a.FileID, a.OnlineUntil, a.RectifiesID,
				Draft, nil, "", a.Author, a.CreatedAt, a.UpdatedAt); err != nil {
				return taken(err)
			}
		} else {
			n, err := db.Affected(ctx, tx, `UPDATE council_acts SET kind = ?, number = ?, session_id = ?, item_id = ?, adopted_on = ?,
				subject_code = ?, title = ?, body = ?, outcome = ?, has_vote = ?, in_office = ?, voters = ?, votes_for = ?,
				votes_against = ?, abstentions = ?, public_ballot = ?, budget_year = ?, budget_name = ?, prefecture_id = ?,
				transmitted_on = ?, file_id = ?, online_until = ?, rectifies_id = ?, author = ?, updated_at = ?
				WHERE tenant_id = ? AND id = ? AND status = ?`, a.Kind, a.Number, a.SessionID, a.ItemID, a.AdoptedOn, a.SubjectCode,
				a.Title, a.Body, a.Outcome, a.Vote != nil, v.InOffice, v.Voters, v.For, v.Against, v.Abstentions, v.Public,
				a.BudgetYear, a.BudgetName, a.PrefectureID, a.TransmittedOn, a.FileID, a.OnlineUntil, a.RectifiesID, a.Author,
				a.UpdatedAt, a.TenantID, a.ID, Draft)
			if err != nil {
				return taken(err)
			}
			if n == 0 {
				return s.whyNotDraft(ctx, tx, a.TenantID, a.ID)
			}
			if _, err := tx.Exec(ctx, `DELETE FROM council_votes WHERE tenant_id = ? AND act_id = ?`, a.TenantID, a.ID); err != nil {
				return err
			}
		}
		for i, n := range v.Names {
			if _, err := tx.Exec(ctx, `INSERT INTO council_votes (tenant_id, act_id, position, member_name, choice) VALUES (?, ?, ?, ?, ?)`,
				a.TenantID, a.ID, i+1, strings.TrimSpace(n.Name), n.Choice); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && creating {
		a.ID = ""
	}
	return wrap("save act", err)
}

// taken turns the unique index's refusal into the number field's error.
func taken(err error) error {
	if db.IsUniqueViolation(err) {
		return guichet.Invalid(map[string]string{"number": "Un acte de ce type porte déjà ce numéro."})
	}
	return err
}

// whyNotDraft explains an update that changed no row.
func (s *Store) whyNotDraft(ctx context.Context, q db.Querier, tenantID, id string) error {
	var status string
	err := q.QueryRow(ctx, `SELECT status FROM council_acts WHERE tenant_id = ? AND id = ?`, tenantID, id).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	return ErrPublished
}

// Act returns an act of the collectivité, with its file, ballot names and
// rectifications.
func (s *Store) Act(ctx context.Context, tenantID, id string) (*Act, error) {
	a, err := scanAct(s.DB().QueryRow(ctx, `SELECT `+actColumns+` FROM council_acts WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if err != nil {
		return nil, err
	}
	return a, s.complete(ctx, a)
}

// PublicAct returns a published act by its address, as visitors see it
// on day.
func (s *Store) PublicAct(ctx context.Context, tenantID, slug, day string) (*Act, error) {
	kind, number, ok := strings.Cut(slug, "-")
	if !ok {
		return nil, ErrNotFound
	}
	a, err := scanAct(s.DB().QueryRow(ctx, `SELECT `+actColumns+` FROM council_acts WHERE tenant_id = ? AND kind = ? AND number = ?
		AND status = ?`, tenantID, kind, number, Published))
	if err != nil {
		return nil, err
	}
	if !a.Online(day) {
		return nil, ErrNotFound
	}
	return a, s.complete(ctx, a)
}

// complete reads what an act's page shows beside its row.
func (s *Store) complete(ctx context.Context, a *Act) error {
	if a.FileID != "" {
		f, err := s.FileInfo(ctx, a.TenantID, a.FileID)
		if err != nil {
			return err
		}
		a.File = f
	}
	if a.Vote != nil && a.Vote.Public {
		err := db.Each(ctx, s.DB(), `SELECT member_name, choice FROM council_votes WHERE tenant_id = ? AND act_id = ? ORDER BY position`,
			func(r db.Row) error {
				var n NamedVote
				err := r.Scan(&n.Name, &n.Choice)
				a.Vote.Names = append(a.Vote.Names, n)
				return err
			}, a.TenantID, a.ID)
		if err != nil {
			return wrap("ballot names", err)
		}
	}
	if a.RectifiesID != "" {
		var r ActRef
		err := s.DB().QueryRow(ctx, `SELECT id, kind, number, title FROM council_acts WHERE tenant_id = ? AND id = ?`,
			a.TenantID, a.RectifiesID).Scan(&r.ID, &r.Kind, &r.Number, &r.Title)
		if err == nil {
			a.Rectifies = &r
		}
	}
	err := db.Each(ctx, s.DB(), `SELECT id, kind, number, title FROM council_acts WHERE tenant_id = ? AND rectifies_id = ? AND status = ?
		ORDER BY published_at`, func(r db.Row) error {
		var ref ActRef
		err := r.Scan(&ref.ID, &ref.Kind, &ref.Number, &ref.Title)
		a.RectifiedBy = append(a.RectifiedBy, ref)
		return err
	}, a.TenantID, a.ID, Published)
	return wrap("rectifications", err)
}

// MinOnline is how long an act stays online at least (R2131-1).
const MinOnline = 2 // months

// PublishArgs is the job that mails a published act to its followers.
type PublishArgs struct {
	TenantID, ActID, BaseURL string
}

// Kind implements river.JobArgs.
func (PublishArgs) Kind() string { return "council-act-followers" }

// Publish publishes a draft act at the store's time as author: the act is
// frozen from then on; its date of posting and its file's SHA-256 are
// what the page shows. Without a signed PDF, one is written from the
// act's text. Its followers' mail is queued in the same transaction.
func (s *Store) Publish(ctx context.Context, tenantID, id, author, baseURL string, loc *time.Location) (*Act, error) {
	a, err := s.Act(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	if a.Status == Published {
		return nil, ErrPublished
	}
	if err := a.validate(); err != nil {
		return nil, err
	}
	now := s.Stamp()
	if a.OnlineUntil != "" {
		min := now.In(loc).AddDate(0, MinOnline, 0).Format(DateLayout)
		if a.OnlineUntil < min {
			return nil, guichet.Invalid(map[string]string{"online_until": fmt.Sprintf("Un acte reste en ligne au moins deux mois : jusqu'au %s au plus tôt.", min)})
		}
	}
	if a.FileID == "" {
		f, err := s.renderedFile(ctx, tenantID, Slug(a.Kind, a.Number)+".pdf", func(d *pdf.Doc) { writeAct(d, a) })
		if err != nil {
			return nil, err
		}
		a.FileID, a.File = f.ID, f
	}
	text, err := s.fileText(ctx, s.DB(), tenantID, a.FileID)
	if err != nil {
		return nil, err
	}
	err = s.DB().InTx(ctx, func(tx *db.Tx) error {
		n, err := db.Affected(ctx, tx, `UPDATE council_acts SET status = ?, published_at = ?, published_by = ?, file_id = ?, updated_at = ?
			WHERE tenant_id = ? AND id = ? AND status = ?`, Published, now, author, a.FileID, now, tenantID, id, Draft)
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrPublished
		}
		a.Status, a.PublishedAt, a.PublishedBy = Published, &now, author
		if err := search.Put(ctx, tx, a.doc(text)); err != nil {
			return err
		}
		if s.Jobs != nil {
			if _, err := tx.Exec(ctx, `INSERT INTO council_mailings (act_id, tenant_id) VALUES (?, ?)`, a.ID, tenantID); err != nil {
				return err
			}
			_, err := s.Jobs.InsertTx(ctx, tx, PublishArgs{TenantID: tenantID, ActID: a.ID, BaseURL: baseURL}, nil)
			return err
		}
		return nil
	})
	if err != nil {
		return nil, wrap("publish act", err)
	}
	s.Changed(ctx, tenantID)
	return a, nil
}

// maxIndexedText bounds what search keeps of a PDF's text.
const maxIndexedText = 200_000

// doc is the act's search entry: its number, object and text, and the
// text read from its PDF.
func (a *Act) doc(pdfText string) search.Doc {
	if len(pdfText) > maxIndexedText {
		pdfText = strings.ToValidUTF8(pdfText[:maxIndexedText], "")
	}
	d := search.Doc{TenantID: a.TenantID, Kind: Kind, ID: a.ID, URL: a.URL(),
		Title: KindLabel(a.Kind) + " n° " + a.Number + " – " + a.Title,
		Body:  strings.TrimSpace(publishing.PlainText(a.Body) + "\n" + pdfText)}
	if a.PublishedAt != nil {
		d.PublishedAt = *a.PublishedAt
	}
	return d
}

// KindLabel names a kind of act in French.
func KindLabel(kind string) string {
	switch kind {
	case Deliberation:
		return "Délibération"
	case Arrete:
		return "Arrêté"
	}
	return "Décision"
}

// Rectify starts a draft correcting a published act: a copy of it, with
// the next number of its kind, linked to it. Both stay online.
func (s *Store) Rectify(ctx context.Context, tenantID, id, author string, loc *time.Location) (*Act, error) {
	old, err := s.Act(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	if old.Status != Published {
		return nil, guichet.Errorf(guichet.EConflict, "Un brouillon se corrige directement ; seul un acte publié se rectifie.")
	}
	day := s.today(loc)
	number, err := s.NextNumber(ctx, tenantID, old.Kind, day[:4])
	if err != nil {
		return nil, err
	}
	a := *old
	a.ID, a.Number, a.AdoptedOn, a.RectifiesID, a.FileID, a.File = "", number, day, old.ID, "", nil
	a.PrefectureID, a.TransmittedOn, a.Rectifies, a.RectifiedBy, a.PublishedAt, a.PublishedBy = "", "", nil, nil, nil, ""
	a.Title = "Rectification – " + strings.TrimPrefix(old.Title, "Rectification – ")
	if len([]rune(a.Title)) > 500 {
		a.Title = string([]rune(a.Title)[:500])
	}
	if old.Vote != nil {
		v := *old.Vote
		v.Names = slices.Clone(old.Vote.Names)
		a.Vote = &v
	}
	return &a, s.SaveAct(ctx, &a, author)
}

// NextNumber proposes the next number of kind in year: "2026-046".
func (s *Store) NextNumber(ctx context.Context, tenantID, kind, year string) (string, error) {
	var last int
	err := db.Each(ctx, s.DB(), `SELECT number FROM council_acts WHERE tenant_id = ? AND kind = ? AND number LIKE ?`, func(r db.Row) error {
		var n string
		if err := r.Scan(&n); err != nil {
			return err
		}
		var k int
		if _, err := fmt.Sscanf(n[strings.LastIndex(n, "-")+1:], "%d", &k); err == nil && k > last {
			last = k
		}
		return nil
	}, tenantID, kind, "%"+year+"-%")
	return fmt.Sprintf("%s-%03d", year, last+1), wrap("next number", err)
}

// ActFilter narrows lists of acts.
type ActFilter struct {
	Kind, Year, Matter, SessionID string
	Status                        string // editors: Draft or Published; "" every act
	Limit, Offset                 int
}

// PublicActs returns the acts online on day, latest first, and how many
// match the filter.
func (s *Store) PublicActs(ctx context.Context, tenantID, day string, f ActFilter) ([]*Act, int, error) {
	f.Status = Published
	return s.acts(ctx, tenantID, day, f)
}

// Acts returns every act for editors, latest first, and their count.
func (s *Store) Acts(ctx context.Context, tenantID string, f ActFilter) ([]*Act, int, error) {
	return s.acts(ctx, tenantID, "", f)
}

func (s *Store) acts(ctx context.Context, tenantID, day string, f ActFilter) ([]*Act, int, error) {
	where, args := []string{"tenant_id = ?"}, []any{tenantID}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	if day != "" {
		where, args = append(where, "(online_until = '' OR online_until >= ?)"), append(args, day)
	}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, f.Kind)
	}
	if f.Year != "" { // a range, which the index on adopted_on serves
		where, args = append(where, "adopted_on >= ?", "adopted_on <= ?"), append(args, f.Year+"-01-01", f.Year+"-12-31")
	}
	if f.Matter != "" {
		where, args = append(where, "subject_code LIKE ?"), append(args, f.Matter+".%")
	}
	if f.SessionID != "" {
		where, args = append(where, "session_id = ?"), append(args, f.SessionID)
	}
	cond := strings.Join(where, " AND ")
	var total int
	if err := s.DB().QueryRow(ctx, `SELECT COUNT(*) FROM council_acts WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, wrap("count acts", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 5000 {
		limit = 50
	}
	var out []*Act
	err := db.Each(ctx, s.DB(), `SELECT `+actColumns+` FROM council_acts WHERE `+cond+`
		ORDER BY adopted_on DESC, number DESC LIMIT ? OFFSET ?`, func(r db.Row) error {
		a, err := scanAct(r)
		out = append(out, a)
		return err
	}, append(args, limit, max(f.Offset, 0))...)
	return out, total, wrap("acts", err)
}

// Years returns the years that have published acts, latest first.
func (s *Store) Years(ctx context.Context, tenantID string) ([]string, error) {
	var out []string
	err := db.Each(ctx, s.DB(), `SELECT DISTINCT SUBSTR(adopted_on, 1, 4) AS y FROM council_acts WHERE tenant_id = ? AND status = ?
		ORDER BY y DESC`, func(r db.Row) error {
		var y string
		err := r.Scan(&y)
		out = append(out, y)
		return err
	}, tenantID, Published)
	return out, wrap("years", err)
}
