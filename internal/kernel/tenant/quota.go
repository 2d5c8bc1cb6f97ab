package tenant

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"guichet"
)

// Quotas are what the operator allows one collectivité: a shared
// deployment keeps one from filling the disk or the mail relay of all.
type Quotas struct {
	// StorageMB bounds the files it keeps (case attachments, images): past
	// it, uploads are refused until files are deleted or the quota raised.
	StorageMB int
	// MailPerDay bounds the messages sent for it in a day (its time zone):
	// past it, messages wait in the outbox until the next day.
	MailPerDay int
}

// DefaultQuotas are a collectivité's until the operator sets others: room
// for a town of 20,000 residents' years of cases and its busiest days.
var DefaultQuotas = Quotas{StorageMB: 10_240, MailPerDay: 5_000}

// maxQuota bounds what a form may set (a typo of a few zeros).
const maxQuota = 10_000_000

// Quotas returns the collectivité's quotas, the defaults if none were set.
func (s *Store) Quotas(ctx context.Context, id string) (Quotas, error) {
	q := DefaultQuotas
	err := s.db.QueryRow(ctx, `SELECT storage_mb, mail_per_day FROM tenant_quotas WHERE tenant_id = ?`, id).
		Scan(&q.StorageMB, &q.MailPerDay)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultQuotas, nil
	}
	if err != nil {
		return q, fmt.Errorf("tenant: quotas: %w", err)
	}
	return q, nil
}

// SetQuotas sets the collectivité's quotas.
func (s *Store) SetQuotas(ctx context.Context, id string, q Quotas) error {
	errs := map[string]string{}
	if q.StorageMB < 1 || q.StorageMB > maxQuota {
		errs["storage_mb"] = "Indiquez un nombre de Mo entre 1 et 10 millions."
	}
	if q.MailPerDay < 1 || q.MailPerDay > maxQuota {
		errs["mail_per_day"] = "Indiquez un nombre de messages entre 1 et 10 millions."
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	if id == PlatformID {
		return ErrNotFound
	}
	if _, err := s.Get(ctx, id); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, `INSERT INTO tenant_quotas (tenant_id, storage_mb, mail_per_day, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET storage_mb = excluded.storage_mb, mail_per_day = excluded.mail_per_day,
		updated_at = excluded.updated_at`, id, q.StorageMB, q.MailPerDay, s.Now().UTC())
	if err != nil {
		return fmt.Errorf("tenant: set quotas: %w", err)
	}
	return nil
}

// DayStart is the start of now's day in loc, the day a mail quota counts.
func DayStart(now time.Time, loc *time.Location) time.Time {
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}
