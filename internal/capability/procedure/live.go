package procedure

import (
	"context"
	"log/slog"

	"guichet/internal/kernel/live"
)

// The events a resident's open case page hears (live.Event.Name); the
// page says what happened and offers to reload, it does not rewrite itself.
const (
	LiveMessage = "message" // the mairie wrote
	LiveState   = "etat"    // the case changed state
)

// Topic is the live topic of one case.
func Topic(caseID string) string { return "case:" + caseID }

// tell publishes what happened to c on every node. A failure loses one
// notice, not the change: it is logged only.
func (s *Store) tell(ctx context.Context, c *Case, what string) {
	if s.Live == nil {
		return
	}
	if err := s.Live.Publish(ctx, live.Event{TenantID: c.TenantID, Topic: Topic(c.ID), Name: what}); err != nil {
		slog.Default().WarnContext(ctx, "procedure: live notice", "case", c.ID, "err", err)
	}
}
