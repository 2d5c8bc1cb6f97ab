package questions

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/privacy"
)

// Retention of the askers' records, in days.
const (
	// UnverifiedQuestionDays: a question whose asker never followed the
	// check link goes after this many days.
	UnverifiedQuestionDays = 30
	// QuestionDays: this many days after it was answered (or asked, when
	// still waiting), a question set aside or never answered goes, and a
	// published one loses its asker's name, address and account.
	QuestionDays = 365
)

// exportedQuestion is what a person's data export shows of a question
// they asked.
type exportedQuestion struct {
	Question   string     `json:"question"`
	Details    string     `json:"details,omitempty"`
	Name       string     `json:"name,omitempty"`
	Email      string     `json:"email,omitempty"`
	Status     string     `json:"status"`
	Answer     string     `json:"answer,omitempty"`
	AskedAt    time.Time  `json:"asked_at"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
}

// Export returns the questions the person asked, by account or proven
// address, for their data export (RGPD right of access and portability).
func (s *Store) Export(ctx context.Context, p account.Person) (any, error) {
	where, args := p.Match("user_id", "asker_email")
	rows, err := s.DB().Query(ctx, `SELECT `+questionColumns+` FROM content_questions WHERE tenant_id = ? AND kind = ? AND `+
		where+` ORDER BY created_at`, append([]any{p.TenantID, QuestionAsked}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("questions: export: %w", err)
	}
	defer rows.Close()
	out := []exportedQuestion{}
	for rows.Next() {
		q, err := scanQuestion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, exportedQuestion{Question: q.Question, Details: q.Details, Name: q.AskerName, Email: q.AskerEmail,
			Status: q.Status, Answer: q.Answer, AskedAt: q.CreatedAt, AnsweredAt: q.AnsweredAt})
	}
	return out, rows.Err()
}

// Eraser says what erasing a person does to their questions: deleted
// unless published, published ones kept in public without the asker's
// name or address.
func (s *Store) Eraser() account.Eraser {
	return account.Eraser{Name: "questions", Effect: "questions.privacy.erase", Erase: s.Erase}
}

// Erase carries out Eraser for p.
func (s *Store) Erase(ctx context.Context, p account.Person) error {
	where, args := p.Match("user_id", "asker_email")
	if _, err := s.DB().Exec(ctx, `DELETE FROM content_questions WHERE tenant_id = ? AND kind = ? AND status <> ? AND `+where,
		append([]any{p.TenantID, QuestionAsked, QPublished}, args...)...); err != nil {
		return fmt.Errorf("questions: erase: %w", err)
	}
	if _, err := s.DB().Exec(ctx, `UPDATE content_questions SET asker_name = '', asker_email = '', user_id = ''
		WHERE tenant_id = ? AND kind = ? AND `+where, append([]any{p.TenantID, QuestionAsked}, args...)...); err != nil {
		return fmt.Errorf("questions: anonymise: %w", err)
	}
	return nil
}

// PurgeQuestions applies the questions' retention: unverified ones go
// after UnverifiedQuestionDays; after QuestionDays, published ones lose
// their asker and the others go.
func (s *Store) PurgeQuestions(ctx context.Context) (int64, error) {
	now := s.Stamp()
	unverified, err := s.exec(ctx, `DELETE FROM content_questions WHERE kind = ? AND status = ? AND created_at < ?`,
		QuestionAsked, QUnverified, privacy.Cutoff(now, UnverifiedQuestionDays))
	if err != nil {
		return 0, err
	}
	cutoff := privacy.Cutoff(now, QuestionDays)
	dropped, err := s.exec(ctx, `DELETE FROM content_questions WHERE kind = ? AND status IN (?, ?)
		AND COALESCE(answered_at, created_at) < ?`, QuestionAsked, QPending, QRejected, cutoff)
	if err != nil {
		return unverified, err
	}
	anonymised, err := s.exec(ctx, `UPDATE content_questions SET asker_name = '', asker_email = '', user_id = ''
		WHERE kind = ? AND status = ? AND answered_at < ? AND (asker_name <> '' OR asker_email <> '' OR user_id <> '')`,
		QuestionAsked, QPublished, cutoff)
	return unverified + dropped + anonymised, err
}

func (s *Store) exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := s.DB().Exec(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("questions: retention: %w", err)
	}
	return res.RowsAffected()
}

// RetentionRules returns the rules the periodic retention job applies.
// The rule keeps the key it had in local information.
func (s *Store) RetentionRules() []privacy.Rule {
	return []privacy.Rule{{Key: "content.questions", Apply: s.PurgeQuestions}}
}

// Processing returns the questions' line of the register of processing
// activities; its texts are in the questions web module's catalogue. The
// line keeps the key and place it had in local information.
func (s *Store) Processing() []privacy.Activity {
	k := "questions.privacy."
	return []privacy.Activity{{Key: "content.questions", Order: 220, Bases: []privacy.Basis{privacy.PublicTask},
		Name: privacy.T(k + "name"), Purpose: privacy.T(k + "purpose"), People: privacy.T(k + "people"),
		Data: privacy.T(k + "data"), Retention: privacy.T(k+"retention", UnverifiedQuestionDays, QuestionDays),
		Recipients: privacy.T(k + "recipients")}}
}
