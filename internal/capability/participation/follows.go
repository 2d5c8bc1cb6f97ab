package participation

import (
	"context"
	"fmt"

	"guichet/internal/kernel/db"
)

// Follow makes userID follow a thread of the collectivité: its new
// messages reach their notification centre. Following twice is once.
func (s *Store) Follow(ctx context.Context, tenantID, threadID, userID string) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM participation_threads WHERE tenant_id = ? AND id = ?`,
			tenantID, threadID).Scan(&n); err != nil {
			return fmt.Errorf("participation: follow: %w", err)
		}
		if n == 0 {
			return ErrNotFound
		}
		return s.follow(ctx, tx, tenantID, threadID, userID)
	})
}

// Unfollow stops userID following a thread; nothing when they did not.
func (s *Store) Unfollow(ctx context.Context, tenantID, threadID, userID string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM participation_follows WHERE tenant_id = ? AND thread_id = ? AND user_id = ?`,
		tenantID, threadID, userID); err != nil {
		return fmt.Errorf("participation: unfollow: %w", err)
	}
	return nil
}

// IsFollowing reports whether userID follows a thread.
func (s *Store) IsFollowing(ctx context.Context, tenantID, threadID, userID string) (bool, error) {
	if userID == "" {
		return false, nil
	}
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM participation_follows WHERE tenant_id = ? AND thread_id = ? AND user_id = ?`,
		tenantID, threadID, userID).Scan(&n); err != nil {
		return false, fmt.Errorf("participation: following: %w", err)
	}
	return n > 0, nil
}
