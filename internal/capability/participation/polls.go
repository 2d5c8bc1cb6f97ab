package participation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
)

// Audiences of a poll: who may answer it.
const (
	AudienceAll           = "tous"     // any signed-in resident
	AudienceNeighbourhood = "quartier" // the members of its community
	AudienceVerified      = "verifies" // residents whose address is verified
)

// Audiences lists the audiences in the order forms offer them.
var Audiences = []string{AudienceAll, AudienceNeighbourhood, AudienceVerified}

// Kinds of question.
const (
	Single   = "unique"
	Multiple = "multiple"
	Ranking  = "classement"
	Open     = "libre"
)

// QuestionKinds lists the kinds in the order forms offer them.
var QuestionKinds = []string{Single, Multiple, Ranking, Open}

// Limits of a poll.
const (
	MinChoices    = 2
	MaxChoices    = 12
	MaxQuestions  = 20
	MaxOpenAnswer = 2000
	MaxLabel      = 300
)

// Errors of the polls, mapped once by the web layer.
var (
	ErrPollNotOpen   = guichet.Errorf(guichet.EConflict, "Cette consultation n'est pas encore ouverte.")
	ErrPollClosed    = guichet.Errorf(guichet.EConflict, "Cette consultation est close : elle ne reçoit plus de réponse.")
	ErrAlreadyVoted  = guichet.Errorf(guichet.EConflict, "Vous avez déjà répondu à cette consultation.")
	ErrResultsNotYet = guichet.Errorf(guichet.EForbidden, "Les résultats seront publiés à la clôture de la consultation.")
	ErrNotVerified   = guichet.Errorf(guichet.EForbidden, "Cette consultation est réservée aux habitants dont l'adresse électronique est vérifiée.")
	ErrNotNeighbour  = guichet.Errorf(guichet.EForbidden, "Cette consultation est réservée aux membres du quartier concerné.")
	ErrNotSignedIn   = guichet.Errorf(guichet.EUnauthorized, "Connectez-vous pour répondre à la consultation.")
)

// Poll is a consultation: its questions, its audience and its period.
type Poll struct {
	ID, TenantID string
	Slug, Title  string
	// Description is plain text.
	Description string
	Audience    string
	// CommunityID and CommunityName are the neighbourhood's whose
	// members answer an AudienceNeighbourhood poll, copied when chosen.
	CommunityID, CommunityName string
	OpensAt, ClosesAt          time.Time
	// Published polls show on the site; the others only to staff.
	Published bool
	// Ballots counts the ballots cast.
	Ballots   int
	CreatedAt time.Time
	// Questions are filled by Poll and PollBySlug, not by Polls.
	Questions []*Question
}

// Path is the poll's page.
func (p *Poll) Path() string { return BasePath + "/consultations/" + p.Slug }

// Open reports whether the poll takes ballots at now.
func (p *Poll) Open(now time.Time) bool { return !now.Before(p.OpensAt) && now.Before(p.ClosesAt) }

// Upcoming reports whether the poll opens after now.
func (p *Poll) Upcoming(now time.Time) bool { return now.Before(p.OpensAt) }

// Closed reports whether the poll has closed at now: its results are
// public.
func (p *Poll) Closed(now time.Time) bool { return !now.Before(p.ClosesAt) }

// Question is one of a poll's questions.
type Question struct {
	ID       string
	Position int
	Kind     string
	Label    string
	// Choices are the answers offered (none for an open question).
	Choices  []string
	Required bool
}

// HasChoices reports whether the question offers choices.
func (q *Question) HasChoices() bool { return q.Kind != Open }

// Answer is a ballot's answer to one question: Choices holds the indexes
// of the choices taken (one for Single, one or more for Multiple, every
// choice from first to last for Ranking), Text an open answer.
type Answer struct {
	Choices []int
	Text    string
}

// Ballot holds the answers by question id.
type Ballot map[string]Answer

// QuestionField is the form field a question's error is keyed by.
func QuestionField(q *Question) string { return "q-" + q.ID }

// normalize trims a poll's fields and checks them and its questions.
func (p *Poll) normalize() error {
	p.Title = strings.TrimSpace(p.Title)
	p.Slug = strings.TrimSpace(p.Slug)
	p.Description = strings.TrimSpace(strings.ReplaceAll(p.Description, "\r\n", "\n"))
	fields := map[string]string{}
	switch n := utf8.RuneCountInString(p.Title); {
	case n == 0:
		fields["title"] = "Donnez un titre."
	case n > MaxTitle:
		fields["title"] = fmt.Sprintf("Le titre tient en %d caractères au plus.", MaxTitle)
	}
	if p.Slug == "" {
		p.Slug = publishing.Slugify(p.Title)
	}
	if p.Title != "" && !slugPattern.MatchString(p.Slug) {
		fields["slug"] = "L'adresse ne prend que des lettres minuscules sans accent, des chiffres et des tirets."
	}
	if utf8.RuneCountInString(p.Description) > MaxBody {
		fields["description"] = fmt.Sprintf("La description tient en %d caractères au plus.", MaxBody)
	}
	switch p.Audience {
	case AudienceAll, AudienceVerified:
		p.CommunityID, p.CommunityName = "", ""
	case AudienceNeighbourhood:
		if p.CommunityID == "" {
			fields["community"] = "Choisissez le quartier dont les membres peuvent répondre."
		}
	default:
		fields["audience"] = "Choisissez qui peut répondre à la consultation."
	}
	switch {
	case p.OpensAt.IsZero():
		fields["opens"] = "Indiquez la date d'ouverture."
	case p.ClosesAt.IsZero():
		fields["closes"] = "Indiquez la date de clôture."
	case !p.ClosesAt.After(p.OpensAt):
		fields["closes"] = "La clôture vient après l'ouverture."
	}
	switch {
	case len(p.Questions) == 0:
		fields["questions"] = "Posez au moins une question."
	case len(p.Questions) > MaxQuestions:
		fields["questions"] = fmt.Sprintf("Une consultation pose %d questions au plus.", MaxQuestions)
	}
	for i, q := range p.Questions {
		q.Position = i + 1
		for k, v := range q.normalize() {
			fields[fmt.Sprintf("q%d-%s", i+1, k)] = v
		}
	}
	if len(fields) > 0 {
		return guichet.Invalid(fields)
	}
	return nil
}

// normalize trims a question's label and choices and returns the errors
// by field (kind, label, choices).
func (q *Question) normalize() map[string]string {
	fields := map[string]string{}
	q.Label = strings.TrimSpace(q.Label)
	switch n := utf8.RuneCountInString(q.Label); {
	case n == 0:
		fields["label"] = "Écrivez la question."
	case n > MaxLabel:
		fields["label"] = fmt.Sprintf("La question tient en %d caractères au plus.", MaxLabel)
	}
	var choices []string
	for _, c := range q.Choices {
		if c = strings.TrimSpace(c); c != "" {
			choices = append(choices, c)
		}
	}
	q.Choices = choices
	switch q.Kind {
	case Single, Multiple, Ranking:
		if len(choices) < MinChoices || len(choices) > MaxChoices {
			fields["choices"] = fmt.Sprintf("Proposez de %d à %d choix, un par ligne.", MinChoices, MaxChoices)
			break
		}
		for i, c := range choices {
			if slices.Contains(choices[:i], c) {
				fields["choices"] = "Chaque choix ne figure qu'une fois."
			}
			if utf8.RuneCountInString(c) > MaxLabel {
				fields["choices"] = fmt.Sprintf("Un choix tient en %d caractères au plus.", MaxLabel)
			}
		}
	case Open:
		q.Choices = nil
	default:
		fields["kind"] = "Choisissez le type de question."
	}
	return fields
}

// sameQuestions reports whether a and b ask the same things.
func sameQuestions(a, b []*Question) bool {
	return slices.EqualFunc(a, b, func(x, y *Question) bool {
		return x.Kind == y.Kind && x.Label == y.Label && x.Required == y.Required && slices.Equal(x.Choices, y.Choices)
	})
}

const pollCols = `id, tenant_id, slug, title, description, audience, community_id, community_name, opens_at, closes_at,
published, ballots, created_at`

func scanPoll(row db.Row) (*Poll, error) {
	var p Poll
	err := row.Scan(&p.ID, &p.TenantID, &p.Slug, &p.Title, &p.Description, &p.Audience, &p.CommunityID, &p.CommunityName,
		&p.OpensAt, &p.ClosesAt, &p.Published, &p.Ballots, &p.CreatedAt)
	if err != nil {
		return nil, notFound("poll", err)
	}
	p.OpensAt, p.ClosesAt, p.CreatedAt = p.OpensAt.UTC(), p.ClosesAt.UTC(), p.CreatedAt.UTC()
	return &p, nil
}

// Validate trims and checks p as CreatePoll and UpdatePoll do, writing
// nothing.
func (p *Poll) Validate() error { return p.normalize() }

// CreatePoll adds a poll with its questions; its slug is derived from
// its title when empty.
func (s *Store) CreatePoll(ctx context.Context, p *Poll) error {
	if err := p.normalize(); err != nil {
		return err
	}
	p.ID, p.CreatedAt, p.Ballots = uuid.NewString(), s.now(), 0
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO participation_polls (`+pollCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
			p.ID, p.TenantID, p.Slug, p.Title, p.Description, p.Audience, p.CommunityID, p.CommunityName,
			p.OpensAt.UTC(), p.ClosesAt.UTC(), p.Published, p.CreatedAt)
		if db.IsUniqueViolation(err) {
			return guichet.Invalid(map[string]string{"slug": "Cette adresse est déjà prise."})
		}
		if err != nil {
			return fmt.Errorf("participation: create poll: %w", err)
		}
		return s.insertQuestions(ctx, tx, p)
	})
}

func (s *Store) insertQuestions(ctx context.Context, tx *db.Tx, p *Poll) error {
	for _, q := range p.Questions {
		q.ID = uuid.NewString()
		if _, err := tx.Exec(ctx, `INSERT INTO participation_questions (id, tenant_id, poll_id, position, kind, label, choices,
			required) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, q.ID, p.TenantID, p.ID, q.Position, q.Kind, q.Label,
			strings.Join(q.Choices, "\n"), q.Required); err != nil {
			return fmt.Errorf("participation: question: %w", err)
		}
	}
	return nil
}

// UpdatePoll saves a poll's fields and questions. Once a ballot is cast
// its questions can no longer change, since answers point at them.
func (s *Store) UpdatePoll(ctx context.Context, p *Poll) error {
	if err := p.normalize(); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		var ballots int
		if err := tx.QueryRow(ctx, `SELECT ballots FROM participation_polls WHERE tenant_id = ? AND id = ?`,
			p.TenantID, p.ID).Scan(&ballots); err != nil {
			return notFound("update poll", err)
		}
		stored, err := s.questions(ctx, tx, p.TenantID, p.ID)
		if err != nil {
			return err
		}
		same := sameQuestions(stored, p.Questions)
		if ballots > 0 && !same {
			return guichet.Invalid(map[string]string{"questions": "Des réponses sont enregistrées : les questions ne peuvent plus changer."})
		}
		_, err = tx.Exec(ctx, `UPDATE participation_polls SET slug = ?, title = ?, description = ?, audience = ?,
			community_id = ?, community_name = ?, opens_at = ?, closes_at = ?, published = ? WHERE tenant_id = ? AND id = ?`,
			p.Slug, p.Title, p.Description, p.Audience, p.CommunityID, p.CommunityName, p.OpensAt.UTC(), p.ClosesAt.UTC(),
			p.Published, p.TenantID, p.ID)
		if db.IsUniqueViolation(err) {
			return guichet.Invalid(map[string]string{"slug": "Cette adresse est déjà prise."})
		}
		if err != nil {
			return fmt.Errorf("participation: update poll: %w", err)
		}
		p.Ballots = ballots
		if same {
			p.Questions = stored
			return nil
		}
		if _, err := tx.Exec(ctx, `DELETE FROM participation_questions WHERE tenant_id = ? AND poll_id = ?`,
			p.TenantID, p.ID); err != nil {
			return fmt.Errorf("participation: update poll: %w", err)
		}
		return s.insertQuestions(ctx, tx, p)
	})
}

// querier reads outside and inside a transaction.
type querier interface {
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// questions lists a poll's questions in their order.
func (s *Store) questions(ctx context.Context, q querier, tenantID, pollID string) ([]*Question, error) {
	rows, err := q.Query(ctx, `SELECT id, position, kind, label, choices, required FROM participation_questions
		WHERE tenant_id = ? AND poll_id = ? ORDER BY position`, tenantID, pollID)
	if err != nil {
		return nil, fmt.Errorf("participation: questions: %w", err)
	}
	defer rows.Close()
	var list []*Question
	for rows.Next() {
		var qu Question
		var choices string
		if err := rows.Scan(&qu.ID, &qu.Position, &qu.Kind, &qu.Label, &choices, &qu.Required); err != nil {
			return nil, fmt.Errorf("participation: questions: %w", err)
		}
		if choices != "" {
			qu.Choices = strings.Split(choices, "\n")
		}
		list = append(list, &qu)
	}
	return list, rows.Err()
}

// withQuestions reads a poll and its questions.
func (s *Store) withQuestions(ctx context.Context, row db.Row) (*Poll, error) {
	p, err := scanPoll(row)
	if err != nil {
		return nil, err
	}
	if p.Questions, err = s.questions(ctx, s.db, p.TenantID, p.ID); err != nil {
		return nil, err
	}
	return p, nil
}

// Poll returns one poll by id, with its questions.
func (s *Store) Poll(ctx context.Context, tenantID, id string) (*Poll, error) {
	return s.withQuestions(ctx, s.db.QueryRow(ctx, `SELECT `+pollCols+` FROM participation_polls
		WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// PollBySlug returns one poll by its slug, with its questions.
func (s *Store) PollBySlug(ctx context.Context, tenantID, slug string) (*Poll, error) {
	return s.withQuestions(ctx, s.db.QueryRow(ctx, `SELECT `+pollCols+` FROM participation_polls
		WHERE tenant_id = ? AND slug = ?`, tenantID, slug))
}

// Polls lists the collectivité's polls (only the published ones when
// published is set), the latest opening first, without their questions.
func (s *Store) Polls(ctx context.Context, tenantID string, published bool) ([]*Poll, error) {
	q := `SELECT ` + pollCols + ` FROM participation_polls WHERE tenant_id = ?`
	if published {
		q += ` AND published = TRUE`
	}
	rows, err := s.db.Query(ctx, q+` ORDER BY opens_at DESC, id`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("participation: polls: %w", err)
	}
	defer rows.Close()
	var list []*Poll
	for rows.Next() {
		p, err := scanPoll(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, p)
	}
	return list, rows.Err()
}

// PollLists are a collectivité's polls by period.
type PollLists struct {
	// Open closes soonest first; Upcoming opens soonest first; Closed
	// closed latest first.
	Open, Upcoming, Closed []*Poll
}

// SortPolls splits list by period at now.
func SortPolls(list []*Poll, now time.Time) PollLists {
	var l PollLists
	for _, p := range list {
		switch {
		case p.Upcoming(now):
			l.Upcoming = append(l.Upcoming, p)
		case p.Open(now):
			l.Open = append(l.Open, p)
		default:
			l.Closed = append(l.Closed, p)
		}
	}
	sort.SliceStable(l.Open, func(i, j int) bool { return l.Open[i].ClosesAt.Before(l.Open[j].ClosesAt) })
	sort.SliceStable(l.Upcoming, func(i, j int) bool { return l.Upcoming[i].OpensAt.Before(l.Upcoming[j].OpensAt) })
	sort.SliceStable(l.Closed, func(i, j int) bool { return l.Closed[i].ClosesAt.After(l.Closed[j].ClosesAt) })
	return l
}

// Eligible reports whether a signed-in resident may answer p: anyone for
// AudienceAll, a verified address for AudienceVerified, a member of the
// poll's community (memberOf lists the resident's) for
// AudienceNeighbourhood.
func Eligible(p *Poll, verified bool, memberOf []string) error {
	switch p.Audience {
	case AudienceAll:
		return nil
	case AudienceVerified:
		if verified {
			return nil
		}
		return ErrNotVerified
	case AudienceNeighbourhood:
		if p.CommunityID != "" && slices.Contains(memberOf, p.CommunityID) {
			return nil
		}
		return ErrNotNeighbour
	}
	return ErrNotNeighbour
}

// check validates the ballot against p's questions; it returns the
// errors keyed by QuestionField.
func (b Ballot) check(p *Poll) error {
	fields := map[string]string{}
	for _, q := range p.Questions {
		a := b[q.ID]
		field := QuestionField(q)
		for _, c := range a.Choices {
			if c < 0 || c >= len(q.Choices) {
				fields[field] = "Ce choix n'existe pas."
			}
		}
		if fields[field] != "" {
			continue
		}
		switch q.Kind {
		case Single:
			switch {
			case len(a.Choices) > 1:
				fields[field] = "Choisissez une seule réponse."
			case len(a.Choices) == 0 && q.Required:
				fields[field] = "Choisissez une réponse."
			}
		case Multiple:
			if len(a.Choices) == 0 && q.Required {
				fields[field] = "Choisissez au moins une réponse."
			}
			if hasDuplicate(a.Choices) {
				fields[field] = "Ce choix n'existe pas."
			}
		case Ranking:
			if (len(a.Choices) > 0 || q.Required) && (len(a.Choices) != len(q.Choices) || hasDuplicate(a.Choices)) {
				fields[field] = "Classez tous les choix, chacun à un rang différent."
			}
		case Open:
			text := strings.TrimSpace(a.Text)
			switch {
			case text == "" && q.Required:
				fields[field] = "Répondez à cette question."
			case utf8.RuneCountInString(text) > MaxOpenAnswer:
				fields[field] = fmt.Sprintf("Votre réponse tient en %d caractères au plus.", MaxOpenAnswer)
			}
		}
	}
	if len(fields) > 0 {
		return guichet.Invalid(fields)
	}
	return nil
}

func hasDuplicate(list []int) bool {
	for i, v := range list {
		if slices.Contains(list[:i], v) {
			return true
		}
	}
	return false
}

// Voted reports whether voterID has answered p.
func (s *Store) Voted(ctx context.Context, p *Poll, voterID string) (bool, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM participation_ballots WHERE tenant_id = ? AND poll_id = ? AND voter_id = ?`,
		p.TenantID, p.ID, voterID).Scan(&n); err != nil {
		return false, fmt.Errorf("participation: voted: %w", err)
	}
	return n > 0, nil
}

// Cast records voterID's ballot on p, who must be eligible (Eligible),
// in one transaction: the ballot's row, whose key refuses a second one
// (ErrAlreadyVoted), the answers under a random id that does not name
// the voter, and the poll's count.
func (s *Store) Cast(ctx context.Context, p *Poll, voterID string, b Ballot) error {
	if voterID == "" {
		return ErrNotSignedIn
	}
	now := s.now()
	if p.Upcoming(now) {
		return ErrPollNotOpen
	}
	if p.Closed(now) {
		return ErrPollClosed
	}
	if err := b.check(p); err != nil {
		return err
	}
	ballotID := uuid.NewString()
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		// The period as stored, should staff have moved it meanwhile.
		var opens, closes time.Time
		if err := tx.QueryRow(ctx, `SELECT opens_at, closes_at FROM participation_polls WHERE tenant_id = ? AND id = ?`,
			p.TenantID, p.ID).Scan(&opens, &closes); err != nil {
			return notFound("cast", err)
		}
		if now.Before(opens) {
			return ErrPollNotOpen
		}
		if !now.Before(closes) {
			return ErrPollClosed
		}
		_, err := tx.Exec(ctx, `INSERT INTO participation_ballots (poll_id, voter_id, tenant_id, cast_at) VALUES (?, ?, ?, ?)`,
			p.ID, voterID, p.TenantID, now)
		if db.IsUniqueViolation(err) {
			return ErrAlreadyVoted
		}
		if err != nil {
			return fmt.Errorf("participation: ballot: %w", err)
		}
		for _, q := range p.Questions {
			a := b[q.ID]
			if q.Kind == Open {
				if text := strings.TrimSpace(strings.ReplaceAll(a.Text, "\r\n", "\n")); text != "" {
					if err := insertAnswer(ctx, tx, p, q, ballotID, -1, 0, text); err != nil {
						return err
					}
				}
				continue
			}
			for i, c := range a.Choices {
				rank := 0
				if q.Kind == Ranking {
					rank = i + 1
				}
				if err := insertAnswer(ctx, tx, p, q, ballotID, c, rank, ""); err != nil {
					return err
				}
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE participation_polls SET ballots = ballots + 1 WHERE tenant_id = ? AND id = ?`,
			p.TenantID, p.ID); err != nil {
			return fmt.Errorf("participation: count ballot: %w", err)
		}
		return nil
	})
	if errors.Is(err, ErrAlreadyVoted) {
		return ErrAlreadyVoted
	}
	return err
}

func insertAnswer(ctx context.Context, tx *db.Tx, p *Poll, q *Question, ballotID string, choice, rank int, text string) error {
	_, err := tx.Exec(ctx, `INSERT INTO participation_answers (id, tenant_id, poll_id, question_id, ballot_id, choice, rank, text)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, uuid.NewString(), p.TenantID, p.ID, q.ID, ballotID, choice, rank, text)
	if err != nil {
		return fmt.Errorf("participation: answer: %w", err)
	}
	return nil
}

// Results are a closed poll's answers, counted.
type Results struct {
	Ballots   int
	Questions []*QuestionResult
}

// QuestionResult is one question's count.
type QuestionResult struct {
	*Question
	// Answered is how many ballots answered it, the base of percentages.
	Answered int
	// Choices are in the question's order, a ranking's by score, best
	// first.
	Choices []*ChoiceResult
	// Texts are the open answers, in an order that tells nothing of who
	// wrote them.
	Texts []string
}

// ChoiceResult is one choice's count.
type ChoiceResult struct {
	Label string
	// Count is how many ballots took it (for a ranking, put it anywhere).
	Count int
	// Percent is Count out of the question's Answered, 0 to 100.
	Percent float64
	// Score is a ranking's Borda score: n points for a first place among
	// n choices, down to 1 for the last. First counts its first places.
	Score, First int
}

// Results counts p's answers, once p has closed (ErrResultsNotYet
// before).
func (s *Store) Results(ctx context.Context, p *Poll) (*Results, error) {
	if !p.Closed(s.now()) {
		return nil, ErrResultsNotYet
	}
	res := &Results{Ballots: p.Ballots}
	byID := map[string]*QuestionResult{}
	for _, q := range p.Questions {
		qr := &QuestionResult{Question: q}
		for _, c := range q.Choices {
			qr.Choices = append(qr.Choices, &ChoiceResult{Label: c})
		}
		byID[q.ID] = qr
		res.Questions = append(res.Questions, qr)
	}
	rows, err := s.db.Query(ctx, `SELECT question_id, COUNT(DISTINCT ballot_id) FROM participation_answers
		WHERE tenant_id = ? AND poll_id = ? GROUP BY question_id`, p.TenantID, p.ID)
	if err != nil {
		return nil, fmt.Errorf("participation: results: %w", err)
	}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("participation: results: %w", err)
		}
		if qr := byID[id]; qr != nil {
			qr.Answered = n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("participation: results: %w", err)
	}
	rows, err = s.db.Query(ctx, `SELECT question_id, choice, rank, COUNT(*) FROM participation_answers
		WHERE tenant_id = ? AND poll_id = ? AND choice >= 0 GROUP BY question_id, choice, rank`, p.TenantID, p.ID)
	if err != nil {
		return nil, fmt.Errorf("participation: results: %w", err)
	}
	for rows.Next() {
		var id string
		var choice, rank, n int
		if err := rows.Scan(&id, &choice, &rank, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("participation: results: %w", err)
		}
		qr := byID[id]
		if qr == nil || choice >= len(qr.Choices) {
			continue
		}
		c := qr.Choices[choice]
		c.Count += n
		if rank > 0 {
			c.Score += n * (len(qr.Choices) - rank + 1)
			if rank == 1 {
				c.First += n
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("participation: results: %w", err)
	}
	rows, err = s.db.Query(ctx, `SELECT question_id, text FROM participation_answers
		WHERE tenant_id = ? AND poll_id = ? AND text <> '' ORDER BY id`, p.TenantID, p.ID)
	if err != nil {
		return nil, fmt.Errorf("participation: results: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, text string
		if err := rows.Scan(&id, &text); err != nil {
			return nil, fmt.Errorf("participation: results: %w", err)
		}
		if qr := byID[id]; qr != nil {
			qr.Texts = append(qr.Texts, text)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("participation: results: %w", err)
	}
	for _, qr := range res.Questions {
		for _, c := range qr.Choices {
			if qr.Answered > 0 {
				c.Percent = 100 * float64(c.Count) / float64(qr.Answered)
			}
		}
		if qr.Kind == Ranking {
			sort.SliceStable(qr.Choices, func(i, j int) bool { return qr.Choices[i].Score > qr.Choices[j].Score })
		}
	}
	return res, nil
}
