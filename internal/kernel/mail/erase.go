package mail

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// How long bodies are kept: a sent message's links have done their work
// within a day; a message that did not leave is kept a week for the
// operator to look into it.
const (
	KeepSentBody   = 24 * time.Hour
	KeepUnsentBody = 7 * 24 * time.Hour
	// EraseEvery is how often EraseBodies should run.
	EraseEvery = time.Hour
)

// EraseBodies empties the data and attachments of messages sent more than
// KeepSentBody ago, and of those held, failed or interrupted more than
// KeepUnsentBody ago; recipient, subject and status stay for the console.
// It also seals the bodies stored before bodies were sealed. It returns
// how many bodies it erased.
func (o *Outbox) EraseBodies(ctx context.Context) (int64, error) {
	now := o.Now().UTC()
	res, err := o.db.Exec(ctx, `UPDATE outbox SET data = '', attachments = ''
		WHERE status = ? AND sent_at < ? AND data <> ''`, StatusSent, now.Add(-KeepSentBody))
	if err != nil {
		return 0, fmt.Errorf("mail: erase sent bodies: %w", err)
	}
	sent, _ := res.RowsAffected()
	res, err = o.db.Exec(ctx, `UPDATE outbox SET data = '', attachments = ''
		WHERE status IN (?, ?, ?) AND created_at < ? AND data <> ''`,
		StatusHeld, StatusFailed, StatusInterrupted, now.Add(-KeepUnsentBody))
	if err != nil {
		return 0, fmt.Errorf("mail: erase unsent bodies: %w", err)
	}
	unsent, _ := res.RowsAffected()
	return sent + unsent, o.sealPlain(ctx)
}

// sealPlain seals, a batch at a time, the bodies written in clear by
// earlier versions.
func (o *Outbox) sealPlain(ctx context.Context) error {
	for {
		rows, err := o.db.Query(ctx, `SELECT id, tenant_id, data, attachments FROM outbox
			WHERE data <> '' AND data NOT LIKE ? LIMIT 200`, sealedPrefix+"%")
		if err != nil {
			return fmt.Errorf("mail: find plain bodies: %w", err)
		}
		type plain struct{ id, tenantID, data, files string }
		var batch []plain
		for rows.Next() {
			var p plain
			if err := rows.Scan(&p.id, &p.tenantID, &p.data, &p.files); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(batch) == 0 {
			return err
		}
		for _, p := range batch {
			files := p.files
			if !strings.HasPrefix(files, sealedPrefix) {
				files = o.seal.seal(files, p.tenantID, p.id)
			}
			if _, err := o.db.Exec(ctx, `UPDATE outbox SET data = ?, attachments = ? WHERE tenant_id = ? AND id = ?`,
				o.seal.seal(p.data, p.tenantID, p.id), files, p.tenantID, p.id); err != nil {
				return fmt.Errorf("mail: seal body: %w", err)
			}
		}
	}
}
