package participation

import (
	"context"

	"guichet/internal/kernel/db"
)

// announce tells the thread's followers (and the residents m mentions)
// that m is there to read, inside tx; called once m is visible.
func (s *Store) announce(ctx context.Context, tx *db.Tx, t *Thread, m *Message) error { return nil }
