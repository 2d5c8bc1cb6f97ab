package mail

import (
	"context"
	"fmt"
	"strings"
)

// RetentionDays is how long the outbox keeps a message, whatever became
// of it: long enough for the operator to answer "did my mail leave?".
const RetentionDays = 90

// PurgeOld deletes the messages created more than RetentionDays ago,
// across every collectivité, and returns how many went. A message still
// queued then is given up: its delivery job finds nothing to send.
func (o *Outbox) PurgeOld(ctx context.Context) (int64, error) {
	cutoff := o.Now().UTC().AddDate(0, 0, -RetentionDays)
	res, err := o.db.Exec(ctx, `DELETE FROM outbox WHERE created_at < ?`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("mail: purge outbox: %w", err)
	}
	return res.RowsAffected()
}

// EraseRecipient deletes the messages sent (or held) to address on a
// collectivité, for the erasure of a person's data. Those still queued
// are delivered first (the answer to their request among them); the
// outbox's retention removes them later.
func (o *Outbox) EraseRecipient(ctx context.Context, tenantID, address string) error {
	if address == "" {
		return nil
	}
	_, err := o.db.Exec(ctx, `DELETE FROM outbox WHERE tenant_id = ? AND LOWER(recipient) = ? AND status <> ?`,
		tenantID, strings.ToLower(address), StatusQueued)
	if err != nil {
		return fmt.Errorf("mail: erase recipient: %w", err)
	}
	return nil
}
