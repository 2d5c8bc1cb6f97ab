package newsletter

import (
	"context"
	"fmt"
	"strings"

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
