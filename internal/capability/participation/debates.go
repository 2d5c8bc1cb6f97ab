package participation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"guichet"
	"guichet/internal/kernel/db"
)

// KindSupport is the reaction's kind of a debate argument's support.
const KindSupport = "soutien"

// Errors of the debates.
var (
	ErrDebateClosed = guichet.Errorf(guichet.EConflict, "Ce débat est clos : il ne reçoit plus d'argument ni de soutien.")
	ErrOwnArgument  = guichet.Errorf(guichet.EForbidden, "Vous ne pouvez pas soutenir votre propre argument.")
	ErrNotArgument  = guichet.Errorf(guichet.ENotFound, "Cet argument n'existe pas ou n'est pas publié.")
)

// Arguments are a debate's opening message and its arguments as a
// viewer reads them: each side sorted by support, then oldest first.
type Arguments struct {
	// Opening states the question's context.
	Opening      *Message
	For, Against []*Message
	// Supported holds the ids of the arguments the viewer supports.
	Supported map[string]bool
}

// Side returns the arguments of side.
func (a *Arguments) Side(side string) []*Message {
	if side == For {
		return a.For
	}
	return a.Against
}

// Strongest returns the most supported visible argument of side, nil
// when none.
func (a *Arguments) Strongest(side string) *Message {
	for _, m := range a.Side(side) {
		if m.State == Visible {
			return m
		}
	}
	return nil
}

// Other is the side opposed to side.
func Other(side string) string {
	if side == For {
		return Against
	}
	return For
}

// Arguments returns thread threadID's opening message and arguments as
// viewerID reads them: the visible ones and the viewer's own held or
// hidden ones. Two queries, whatever the debate's size.
func (s *Store) Arguments(ctx context.Context, tenantID, threadID, viewerID string) (*Arguments, error) {
	rows, err := s.db.Query(ctx, `SELECT `+messageCols+` FROM participation_messages
		WHERE tenant_id = ? AND thread_id = ? AND (opener OR side IN (?, ?)) AND (state = ? OR author_id = ?)
		ORDER BY supports DESC, created_at, id`, tenantID, threadID, For, Against, Visible, viewerID)
	if err != nil {
		return nil, fmt.Errorf("participation: arguments: %w", err)
	}
	defer rows.Close()
	a := &Arguments{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		switch {
		case m.Opener:
			a.Opening = m
		case m.Side == For:
			a.For = append(a.For, m)
		default:
			a.Against = append(a.Against, m)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("participation: arguments: %w", err)
	}
	if a.Supported, err = s.SupportedBy(ctx, tenantID, threadID, viewerID); err != nil {
		return nil, err
	}
	return a, nil
}

// SupportedBy returns the ids of thread threadID's arguments userID
// supports (none for a visitor).
func (s *Store) SupportedBy(ctx context.Context, tenantID, threadID, userID string) (map[string]bool, error) {
	out := map[string]bool{}
	if userID == "" {
		return out, nil
	}
	rows, err := s.db.Query(ctx, `SELECT r.message_id FROM participation_reactions r
		JOIN participation_messages m ON m.id = r.message_id AND m.tenant_id = r.tenant_id
		WHERE r.tenant_id = ? AND r.user_id = ? AND r.kind = ? AND m.thread_id = ?`, tenantID, userID, KindSupport, threadID)
	if err != nil {
		return nil, fmt.Errorf("participation: supports: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("participation: supports: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// Strongest returns the most supported visible argument of side in
// thread threadID (the oldest among equals), nil when no one argued it.
func (s *Store) Strongest(ctx context.Context, tenantID, threadID, side string) (*Message, error) {
	m, err := scanMessage(s.db.QueryRow(ctx, `SELECT `+messageCols+` FROM participation_messages
		WHERE tenant_id = ? AND thread_id = ? AND side = ? AND state = ? AND NOT opener
		ORDER BY supports DESC, created_at, id LIMIT 1`, tenantID, threadID, side, Visible))
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return m, err
}

// Opposing returns the strongest argument against m, nil when no one
// argued the other side.
func (s *Store) Opposing(ctx context.Context, m *Message) (*Message, error) {
	return s.Strongest(ctx, m.TenantID, m.ThreadID, Other(m.Side))
}

// Support records userID's support of argument messageID (on) or takes
// it back, keeping the argument's count in step in the same transaction,
// and returns the argument as it now is. Only a visible argument of an
// open debate takes supports, and never its author's.
func (s *Store) Support(ctx context.Context, tenantID, messageID, userID string, on bool) (*Message, error) {
	var m *Message
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var kind string
		var author *string
		var closed *time.Time
		err := tx.QueryRow(ctx, `SELECT t.kind, m.author_id, t.closed_at FROM participation_messages m
			JOIN participation_threads t ON t.id = m.thread_id AND t.tenant_id = m.tenant_id
			WHERE m.tenant_id = ? AND m.id = ? AND m.state = ? AND m.side IN (?, ?) AND NOT m.opener`,
			tenantID, messageID, Visible, For, Against).Scan(&kind, &author, &closed)
		switch {
		case errors.Is(err, sql.ErrNoRows) || (err == nil && kind != Debate):
			return ErrNotArgument
		case err != nil:
			return fmt.Errorf("participation: support: %w", err)
		case closed != nil:
			return ErrDebateClosed
		case author != nil && *author == userID:
			return ErrOwnArgument
		}
		var res sql.Result
		if on {
			res, err = tx.Exec(ctx, `INSERT INTO participation_reactions (message_id, user_id, tenant_id, kind, created_at)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_id, user_id, kind) DO NOTHING`,
				messageID, userID, tenantID, KindSupport, s.now())
		} else {
			res, err = tx.Exec(ctx, `DELETE FROM participation_reactions WHERE tenant_id = ? AND message_id = ? AND user_id = ?
				AND kind = ?`, tenantID, messageID, userID, KindSupport)
		}
		if err != nil {
			return fmt.Errorf("participation: support: %w", err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			delta := 1
			if !on {
				delta = -1
			}
			if _, err := tx.Exec(ctx, `UPDATE participation_messages SET supports = supports + ? WHERE tenant_id = ? AND id = ?`,
				delta, tenantID, messageID); err != nil {
				return fmt.Errorf("participation: support: %w", err)
			}
		}
		m, err = scanMessage(tx.QueryRow(ctx, `SELECT `+messageCols+` FROM participation_messages WHERE tenant_id = ? AND id = ?`,
			tenantID, messageID))
		return err
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Close ends debate threadID with a moderator's summary: it then takes no
// more arguments nor supports. Closing it again amends the summary and
// keeps the first closing date; the staff journal keeps who did it.
func (s *Store) Close(ctx context.Context, tenantID, threadID, summary, moderatorID string) error {
	summary = strings.TrimSpace(strings.ReplaceAll(summary, "\r\n", "\n"))
	switch n := utf8.RuneCountInString(summary); {
	case n == 0:
		return guichet.Invalid(map[string]string{"summary": "Écrivez la synthèse du débat."})
	case n > MaxBody:
		return guichet.Invalid(map[string]string{"summary": fmt.Sprintf("La synthèse tient en %d caractères au plus.", MaxBody)})
	}
	if moderatorID == "" {
		return guichet.Errorf(guichet.EForbidden, "Seul un modérateur peut clore un débat.")
	}
	now := s.now()
	res, err := s.db.Exec(ctx, `UPDATE participation_threads SET summary = ?, closed_at = COALESCE(closed_at, ?),
		last_activity_at = ? WHERE tenant_id = ? AND id = ? AND kind = ?`, summary, now, now, tenantID, threadID, Debate)
	if err != nil {
		return fmt.Errorf("participation: close debate: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// DebateFigure is one side's count of arguments in one state, with their
// supports.
type DebateFigure struct {
	Side, State         string
	Arguments, Supports int
}

// DebateFigures counts a debate's arguments by side and state, for the
// moderators.
func (s *Store) DebateFigures(ctx context.Context, tenantID, threadID string) ([]DebateFigure, error) {
	rows, err := s.db.Query(ctx, `SELECT side, state, COUNT(*), COALESCE(SUM(supports), 0) FROM participation_messages
		WHERE tenant_id = ? AND thread_id = ? AND side IN (?, ?) AND NOT opener GROUP BY side, state ORDER BY side DESC, state`,
		tenantID, threadID, For, Against)
	if err != nil {
		return nil, fmt.Errorf("participation: debate figures: %w", err)
	}
	defer rows.Close()
	var out []DebateFigure
	for rows.Next() {
		var f DebateFigure
		if err := rows.Scan(&f.Side, &f.State, &f.Arguments, &f.Supports); err != nil {
			return nil, fmt.Errorf("participation: debate figures: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
