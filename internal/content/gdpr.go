package content

import (
	"context"
	"fmt"
	"time"
)

// exportedQuestion is what a resident's data export shows of a question
// they asked while signed in.
type exportedQuestion struct {
	Question   string     `json:"question"`
	Details    string     `json:"details,omitempty"`
	Status     string     `json:"status"`
	Answer     string     `json:"answer,omitempty"`
	AskedAt    time.Time  `json:"asked_at"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
}

// Export returns the questions the user asked, for their data export
// (RGPD right of access and portability).
func (s *Store) Export(ctx context.Context, tenantID, userID string) (any, error) {
	rows, err := s.db.Query(ctx, `SELECT `+questionColumns+` FROM content_questions WHERE tenant_id = ? AND user_id = ?
		ORDER BY created_at`, tenantID, userID)
	if err != nil {
		return nil, fmt.Errorf("content: export questions: %w", err)
	}
	defer rows.Close()
	out := []exportedQuestion{}
	for rows.Next() {
		q, err := scanQuestion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, exportedQuestion{Question: q.Question, Details: q.Details, Status: q.Status, Answer: q.Answer,
			AskedAt: q.CreatedAt, AnsweredAt: q.AnsweredAt})
	}
	return out, rows.Err()
}
