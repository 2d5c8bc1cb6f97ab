package participation

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"guichet"
	"guichet/internal/kernel/db"
)

// The reactions residents leave on a message, one of each per person;
// "soutien" (a debate argument's support) is kept apart.
const (
	ReactThanks = "merci"
	ReactAgree  = "daccord"
	ReactIdea   = "idee"
)

// ReactionKinds are the reactions in the order pages show them.
var ReactionKinds = []string{ReactThanks, ReactAgree, ReactIdea}

// ErrReactionKind refuses a reaction not in ReactionKinds.
var ErrReactionKind = guichet.Errorf(guichet.EInvalid, "Cette réaction n'existe pas.")

// ErrNotVisible refuses to react to a message nobody may read yet.
var ErrNotVisible = guichet.Errorf(guichet.EConflict, "Ce message n'est pas visible : on ne peut pas y réagir.")

// Reactions are a message's reactions: how many of each kind, and which
// the viewer left.
type Reactions struct {
	Counts map[string]int
	Mine   map[string]bool
}

// React toggles userID's reaction kind on a visible message: it is added
// when absent, taken back when there. It reports whether the reaction is
// now on.
func (s *Store) React(ctx context.Context, tenantID, messageID, userID, kind string) (bool, error) {
	if !slices.Contains(ReactionKinds, kind) {
		return false, ErrReactionKind
	}
	on := false
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var state string
		if err := tx.QueryRow(ctx, `SELECT state FROM participation_messages WHERE tenant_id = ? AND id = ?`,
			tenantID, messageID).Scan(&state); err != nil {
			return notFound("react", err)
		}
		if state != Visible {
			return ErrNotVisible
		}
		res, err := tx.Exec(ctx, `DELETE FROM participation_reactions WHERE tenant_id = ? AND message_id = ? AND user_id = ? AND kind = ?`,
			tenantID, messageID, userID, kind)
		if err != nil {
			return fmt.Errorf("participation: react: %w", err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return nil
		}
		on = true
		if _, err := tx.Exec(ctx, `INSERT INTO participation_reactions (message_id, user_id, tenant_id, kind, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_id, user_id, kind) DO NOTHING`,
			messageID, userID, tenantID, kind, s.now()); err != nil {
			return fmt.Errorf("participation: react: %w", err)
		}
		return nil
	})
	return on, err
}

// ThreadReactions returns the reactions of a thread's messages, by
// message id, with the ones viewerID left (none for an empty viewerID),
// in one query.
func (s *Store) ThreadReactions(ctx context.Context, tenantID, threadID, viewerID string) (map[string]*Reactions, error) {
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(ReactionKinds)), ", ")
	args := []any{viewerID, tenantID, tenantID, threadID}
	for _, k := range ReactionKinds {
		args = append(args, k)
	}
	rows, err := s.db.Query(ctx, `SELECT r.message_id, r.kind, COUNT(*), COALESCE(SUM(CASE WHEN r.user_id = ? THEN 1 ELSE 0 END), 0)
		FROM participation_reactions r JOIN participation_messages m ON m.id = r.message_id
		WHERE r.tenant_id = ? AND m.tenant_id = ? AND m.thread_id = ? AND r.kind IN (`+marks+`)
		GROUP BY r.message_id, r.kind`, args...)
	if err != nil {
		return nil, fmt.Errorf("participation: reactions: %w", err)
	}
	defer rows.Close()
	out := map[string]*Reactions{}
	for rows.Next() {
		var id, kind string
		var n, mine int
		if err := rows.Scan(&id, &kind, &n, &mine); err != nil {
			return nil, fmt.Errorf("participation: reactions: %w", err)
		}
		r := out[id]
		if r == nil {
			r = &Reactions{Counts: map[string]int{}, Mine: map[string]bool{}}
			out[id] = r
		}
		r.Counts[kind] = n
		r.Mine[kind] = mine > 0 && viewerID != ""
	}
	return out, rows.Err()
}
