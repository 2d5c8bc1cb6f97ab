package newsletter

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
)

// GenerateSubscribers writes n active subscribers at made-up addresses
// (abonne-<i>@<domain>, one in ten reading English (abonne-5, -15…), one in four agreeing
// to the measure), each on one of lists in turn, for load and scale
// tests; done is called after each thousand.
func (s *Store) GenerateSubscribers(ctx context.Context, tenantID, domain string, n int, lists []string, done func(written int)) error {
	const rowsPerInsert, rowsPerTx = 500, 10_000
	now := s.Stamp()
	cols := `id, tenant_id, email, name, lang, status, unsubscribe_token, consent_at, consent_source, measure, created_at, updated_at`
	for start := 0; start < n; start += rowsPerTx {
		end := min(start+rowsPerTx, n)
		err := s.DB().InTx(ctx, func(tx *db.Tx) error {
			for from := start; from < end; from += rowsPerInsert {
				to := min(from+rowsPerInsert, end)
				var subs, members []any
				for i := from; i < to; i++ {
					id, lang := uuid.NewString(), "fr"
					if i%10 == 4 {
						lang = "en"
					}
					subs = append(subs, id, tenantID, fmt.Sprintf("abonne-%d@%s", i+1, domain), fmt.Sprintf("Abonné %d", i+1), lang,
						SubscriberActive, publishing.NewUnsubscribeToken(), now, "génération de test", i%4 == 0, now, now)
					if len(lists) > 0 {
						members = append(members, lists[i%len(lists)], id, tenantID)
					}
				}
				if err := insertRows(ctx, tx, "newsletter_subscribers", cols, 12, subs); err != nil {
					return err
				}
				if err := insertRows(ctx, tx, "newsletter_memberships", "list_id, subscriber_id, tenant_id", 3, members); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("newsletter: generate subscribers: %w", err)
		}
		if done != nil {
			done(end)
		}
	}
	return nil
}

func insertRows(ctx context.Context, tx *db.Tx, table, cols string, width int, values []any) error {
	if len(values) == 0 {
		return nil
	}
	row := "(" + marks(width) + ")"
	rows := strings.TrimSuffix(strings.Repeat(row+", ", len(values)/width), ", ")
	_, err := tx.Exec(ctx, `INSERT INTO `+table+` (`+cols+`) VALUES `+rows, values...)
	return err
}

// RecordSent writes a campaign as sent at a past date to every active
// subscriber it targets, with its figures, as the demo's archive needs:
// one in opensEvery of those who agreed to the measure opened it.
func (s *Store) RecordSent(ctx context.Context, c *Campaign, at time.Time, opensEvery int) error {
	return s.DB().InTx(ctx, func(tx *db.Tx) error {
		audience := `SELECT ?, s.id, s.tenant_id, ?, 1, ? FROM newsletter_subscribers s WHERE s.tenant_id = ? AND s.status = ?`
		args := []any{c.ID, deliverySent, at.UTC(), c.TenantID, SubscriberActive}
		if len(c.Lists) > 0 {
			audience += ` AND EXISTS (SELECT 1 FROM newsletter_memberships m WHERE m.subscriber_id = s.id AND m.list_id IN (` + marks(len(c.Lists)) + `))`
			for _, l := range c.Lists {
				args = append(args, l)
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO newsletter_deliveries (campaign_id, subscriber_id, tenant_id, status, attempts, sent_at) `+audience, args...); err != nil {
			return err
		}
		var total, measured int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN s.measure THEN 1 ELSE 0 END), 0) FROM newsletter_deliveries d
			JOIN newsletter_subscribers s ON s.id = d.subscriber_id WHERE d.campaign_id = ?`, c.ID).Scan(&total, &measured); err != nil {
			return err
		}
		opens := 0
		if c.Measure && opensEvery > 0 {
			opens = measured / opensEvery
		}
		_, err := tx.Exec(ctx, `UPDATE newsletter_campaigns SET status = ?, scheduled_at = ?, started_at = ?, finished_at = ?, total = ?,
			sent = ?, opens = ?, clicks = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`, CampaignSent, at.UTC(), at.UTC(),
			at.Add(2*time.Minute).UTC(), total, total, opens, opens/3, at.UTC(), c.TenantID, c.ID)
		return err
	})
}
