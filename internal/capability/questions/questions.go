package questions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// Kinds of questions: asked by a resident, a "Vrai ou faux ?" post that
// answers a rumour, or an entry of the FAQ.
const (
	QuestionAsked     = "question"
	QuestionTrueFalse = "vrai-faux"
	QuestionFAQ       = "faq"
)

// Question statuses: waiting for the asker's email check, waiting for a
// moderator, answered in public, or set aside.
const (
	QUnverified = "unverified"
	QPending    = "pending"
	QPublished  = "published"
	QRejected   = "rejected"
)

// Verdicts of a "Vrai ou faux ?" post.
var Verdicts = []string{"vrai", "faux", "nuance"}

// Question is a question and, once published, its public answer.
type Question struct {
	ID, TenantID, Kind    string
	Question, Details     string
	Answer, Verdict       string
	AskerName, AskerEmail string
	UserID, Status        string
	AnsweredBy            string
	Lang                  string // of the asker's emails
	CreatedAt             time.Time
	AnsweredAt            *time.Time
}

// URL is the question's public path.
func (q *Question) URL() string { return "/questions/" + q.ID }

const questionColumns = `id, tenant_id, kind, question, details, answer, verdict, asker_name, asker_email, user_id, status,
	answered_by, created_at, answered_at, lang`

func scanQuestion(row interface{ Scan(...any) error }) (*Question, error) {
	var q Question
	var at sql.NullTime
	err := row.Scan(&q.ID, &q.TenantID, &q.Kind, &q.Question, &q.Details, &q.Answer, &q.Verdict, &q.AskerName,
		&q.AskerEmail, &q.UserID, &q.Status, &q.AnsweredBy, &q.CreatedAt, &at, &q.Lang)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("questions: question: %w", err)
	}
	q.AnsweredAt = fromNull(at)
	return &q, nil
}

// Ask records a resident's question. Signed-in residents (userID set) go
// straight to the moderators; others get a link to check their address
// first, and the returned token is that link's.
// Its emails are written in lang.
func (s *Store) Ask(ctx context.Context, tenantID, userID, name, email, question, details, baseURL, lang string) (*Question, error) {
	errs := map[string]string{}
	question, details, name = strings.TrimSpace(question), strings.TrimSpace(details), strings.TrimSpace(name)
	checkText(errs, "question", question, 5, 300, "Écrivez votre question (5 caractères au moins).", "La question dépasse 300 caractères.")
	checkText(errs, "details", details, 0, 3000, "", "Les précisions dépassent 3 000 caractères.")
	checkText(errs, "name", name, 0, 120, "", "Le nom dépasse 120 caractères.")
	addr, perr := mail.ParseAddress(strings.TrimSpace(email))
	if userID == "" && (perr != nil || addr.Name != "") {
		errs["email"] = "Indiquez une adresse électronique valide, par exemple nom@exemple.fr."
	}
	if len(errs) > 0 {
		return nil, guichet.Invalid(errs)
	}
	q := &Question{ID: uuid.NewString(), TenantID: tenantID, Kind: QuestionAsked, Question: question, Details: details,
		AskerName: name, UserID: userID, Status: QPending, CreatedAt: s.Stamp(), Lang: publishing.MailLang(lang)}
	if perr == nil {
		q.AskerEmail = strings.ToLower(addr.Address)
	}
	token, hash := "", ""
	if userID == "" {
		token, hash = publishing.NewLink()
		q.Status = QUnverified
	}
	_, err := s.DB().Exec(ctx, `INSERT INTO content_questions (id, tenant_id, kind, question, details, asker_name, asker_email,
		user_id, status, verify_hash, created_at, lang) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, q.ID, tenantID, q.Kind,
		q.Question, q.Details, q.AskerName, q.AskerEmail, q.UserID, q.Status, hash, q.CreatedAt, q.Lang)
	if err != nil {
		return nil, fmt.Errorf("questions: ask: %w", err)
	}
	if token != "" {
		// The address is not proven yet: the text the visitor wrote stays
		// out of the message, or the site would relay it to anyone.
		err = s.Send(ctx, tenantID, q.AskerEmail, "questions/question_verify", q.Lang, map[string]any{
			"VerifyURL": baseURL + "/questions/verifier/" + token})
	}
	return q, err
}

// Errors of a question's verification link.
var (
	// ErrVerifyLinkInvalid covers an unknown link, or one past its week.
	ErrVerifyLinkInvalid = guichet.Errorf(guichet.ENotFound, "Ce lien de vérification n'est plus valable.")
	// ErrQuestionVerified is a link followed a second time.
	ErrQuestionVerified = guichet.Errorf(guichet.EConflict, "Cette question a déjà été transmise.")
)

// askers is the double opt-in of the addresses of residents who ask
// without an account: their question waits, unverified, until they follow
// the link, and then goes to the moderators.
var askers = publishing.OptIn{
	Table: "content_questions", HashColumn: "verify_hash",
	Pending:    publishing.Cond{SQL: "status = ?", Args: []any{QUnverified}},
	Confirm:    func(time.Time) publishing.Cond { return publishing.Cond{SQL: "status = ?", Args: []any{QPending}} },
	ErrInvalid: ErrVerifyLinkInvalid, ErrConfirmed: ErrQuestionVerified,
}

// QuestionByLink returns the question of a verification link, checked or
// not, without changing it: the link's page asks for a click first, since
// mail scanners open links.
func (s *Store) QuestionByLink(ctx context.Context, tenantID, token string) (*Question, error) {
	link, err := askers.ByLink(ctx, s.DB(), tenantID, token, s.Stamp())
	if err != nil {
		return nil, err
	}
	q, err := s.QuestionByID(ctx, tenantID, link.ID)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrVerifyLinkInvalid
	}
	return q, err
}

// VerifyQuestion passes a question to the moderators once its asker
// followed the link sent to them and confirmed; a second use is told the
// question went (ErrQuestionVerified).
func (s *Store) VerifyQuestion(ctx context.Context, tenantID, token string) error {
	return askers.ConfirmLink(ctx, s.DB(), tenantID, token, s.Stamp())
}

// Answer publishes a question with its answer (or sets it aside when
// publish is false), and tells the asker.
func (s *Store) Answer(ctx context.Context, tenantID, id, answer, moderator string, publish bool, baseURL string) (*Question, error) {
	q, err := s.QuestionByID(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	q.Answer = strings.TrimSpace(answer)
	if publish && q.Answer == "" {
		return nil, guichet.Invalid(map[string]string{"answer": "Écrivez la réponse avant de la publier."})
	}
	q.Status = QRejected
	if publish {
		q.Status = QPublished
	}
	if err := s.saveQuestion(ctx, q, moderator); err != nil {
		return nil, err
	}
	if publish && q.AskerEmail != "" {
		err = s.Send(ctx, tenantID, q.AskerEmail, "questions/question_answered", q.Lang, map[string]any{
			"Question": q.Question, "URL": baseURL + q.URL()})
	}
	return q, err
}

// SavePost creates or updates a "Vrai ou faux ?" post or a FAQ entry,
// written by the mairie and published at once.
func (s *Store) SavePost(ctx context.Context, q *Question, moderator string) error {
	errs := map[string]string{}
	q.Question, q.Answer = strings.TrimSpace(q.Question), strings.TrimSpace(q.Answer)
	checkText(errs, "question", q.Question, 5, 300, "Écrivez la question ou la rumeur.", "La question dépasse 300 caractères.")
	checkText(errs, "answer", q.Answer, 1, 20000, "Écrivez la réponse.", "La réponse dépasse 20 000 caractères.")
	if q.Kind != QuestionTrueFalse && q.Kind != QuestionFAQ {
		errs["kind"] = "Choisissez le type de publication."
	}
	if q.Kind == QuestionTrueFalse && !slices.Contains(Verdicts, q.Verdict) {
		errs["verdict"] = "Dites si la rumeur est vraie, fausse ou à nuancer."
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	if q.ID == "" {
		q.ID, q.CreatedAt = uuid.NewString(), s.Stamp()
		if _, err := s.DB().Exec(ctx, `INSERT INTO content_questions (id, tenant_id, kind, question, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, q.ID, q.TenantID, q.Kind, q.Question, QPending, q.CreatedAt); err != nil {
			return err
		}
	}
	q.Status = QPublished
	return s.saveQuestion(ctx, q, moderator)
}

func (s *Store) saveQuestion(ctx context.Context, q *Question, moderator string) error {
	now := s.Stamp()
	q.AnsweredAt, q.AnsweredBy = &now, moderator
	err := s.DB().InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE content_questions SET question = ?, answer = ?, verdict = ?, status = ?, answered_by = ?,
			answered_at = ? WHERE tenant_id = ? AND id = ?`, q.Question, q.Answer, q.Verdict, q.Status, moderator, now, q.TenantID, q.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return publishing.Index(ctx, tx, q.Status == QPublished, search.Doc{TenantID: q.TenantID, Kind: KindQuestion, ID: q.ID,
			Title: q.Question, URL: q.URL(), Body: strings.TrimSpace(q.Details + "\n" + publishing.PlainText(q.Answer)), PublishedAt: now})
	})
	if err == nil {
		s.Changed(ctx, q.TenantID)
	}
	return err
}

// QuestionByID returns any question of the collectivité.
func (s *Store) QuestionByID(ctx context.Context, tenantID, id string) (*Question, error) {
	return scanQuestion(s.DB().QueryRow(ctx, `SELECT `+questionColumns+` FROM content_questions WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// publicColumns are what visitors see of a question: nothing of who asked.
const publicColumns = `id, tenant_id, kind, question, details, answer, verdict, answered_at`

func scanPublic(row interface{ Scan(...any) error }) (*Question, error) {
	q := Question{Status: QPublished}
	var at sql.NullTime
	err := row.Scan(&q.ID, &q.TenantID, &q.Kind, &q.Question, &q.Details, &q.Answer, &q.Verdict, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("questions: question: %w", err)
	}
	q.AnsweredAt = fromNull(at)
	return &q, nil
}

// PublicQuestion returns a published question, without who asked it.
func (s *Store) PublicQuestion(ctx context.Context, tenantID, id string) (*Question, error) {
	return scanPublic(s.DB().QueryRow(ctx, `SELECT `+publicColumns+` FROM content_questions WHERE tenant_id = ? AND id = ?
		AND status = ?`, tenantID, id, QPublished))
}

func answered(q *Question) time.Time {
	if q.AnsweredAt == nil {
		return time.Time{}
	}
	return *q.AnsweredAt
}

// PublicKinds are the kinds of questions the public lists show.
var PublicKinds = []string{QuestionTrueFalse, QuestionFAQ, QuestionAsked}

// PublicLists returns the latest published questions of each of
// PublicKinds, at most limit each, last answered first, with their
// question, kind and verdict only. One statement, one walk of the index
// of published questions per kind.
func (s *Store) PublicLists(ctx context.Context, tenantID string, limit int) (map[string][]*Question, error) {
	var query string
	var args []any
	for i, kind := range PublicKinds {
		if i > 0 {
			query += " UNION ALL "
		}
		query += `SELECT * FROM (SELECT id, kind, question, verdict, answered_at FROM content_questions
			WHERE tenant_id = ? AND status = ? AND kind = ? ORDER BY answered_at DESC, id DESC LIMIT ?) AS k` + strconv.Itoa(i)
		args = append(args, tenantID, QPublished, kind, limit)
	}
	rows, err := s.DB().Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("questions: public lists: %w", err)
	}
	defer rows.Close()
	out := map[string][]*Question{}
	for rows.Next() {
		q := Question{TenantID: tenantID, Status: QPublished}
		var at sql.NullTime
		if err := rows.Scan(&q.ID, &q.Kind, &q.Question, &q.Verdict, &at); err != nil {
			return nil, fmt.Errorf("questions: public lists: %w", err)
		}
		q.AnsweredAt = fromNull(at)
		out[q.Kind] = append(out[q.Kind], &q)
	}
	for _, list := range out { // the parts come in no particular order
		slices.SortFunc(list, func(a, b *Question) int {
			if c := answered(b).Compare(answered(a)); c != 0 {
				return c
			}
			return strings.Compare(b.ID, a.ID)
		})
	}
	return out, rows.Err()
}

// ListQuestions returns questions of one status, newest first (answered
// ones by answer date), one page at a time; kind filters when set.
func (s *Store) ListQuestions(ctx context.Context, tenantID, status, kind string, after publishing.Cursor, limit int) ([]*Question, publishing.Cursor, error) {
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	order := "created_at"
	if status == QPublished {
		order = "answered_at"
	}
	where, args := []string{"tenant_id = ?", "status = ?"}, []any{tenantID, status}
	if kind != "" {
		where, args = append(where, "kind = ?"), append(args, kind)
	}
	if after.ID != "" {
		where = append(where, "("+order+" < ? OR ("+order+" = ? AND id < ?))")
		args = append(args, after.At, after.At, after.ID)
	}
	rows, err := s.DB().Query(ctx, `SELECT `+questionColumns+` FROM content_questions WHERE `+strings.Join(where, " AND ")+
		` ORDER BY `+order+` DESC, id DESC LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, publishing.Cursor{}, err
	}
	defer rows.Close()
	var out []*Question
	var next publishing.Cursor
	for rows.Next() {
		q, err := scanQuestion(rows)
		if err != nil {
			return nil, publishing.Cursor{}, err
		}
		if len(out) == limit {
			last := out[limit-1]
			next = publishing.Cursor{At: last.CreatedAt, ID: last.ID}
			if last.AnsweredAt != nil && status == QPublished {
				next.At = *last.AnsweredAt
			}
			break
		}
		out = append(out, q)
	}
	return out, next, rows.Err()
}
