package reports

import (
	"context"
	"fmt"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/privacy"
)

// PurgeUnconfirmed deletes, in every collectivité, the reports, follows
// and area alerts whose confirmation link expired unused, the reports'
// photos with them.
func (s *Store) PurgeUnconfirmed(ctx context.Context) (int64, error) {
	cutoff := privacy.Cutoff(s.now(), UnconfirmedDays)
	var keys []string
	var total int64
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		var reports, others int64
		if keys, reports, err = dropReports(ctx, tx, `r.confirmed_at IS NULL AND r.created_at < ?`, cutoff); err != nil {
			return err
		}
		others, err = affectedSum(ctx, tx, []string{
			`DELETE FROM report_followers WHERE confirmed_at IS NULL AND created_at < ?`,
			`DELETE FROM report_area_alerts WHERE confirmed_at IS NULL AND created_at < ?`}, cutoff)
		total = reports + others
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("reports: retention: %w", err)
	}
	s.removeFiles(ctx, keys)
	return total, nil
}

// PurgeContacts anonymises, in every collectivité, the reports resolved
// more than ContactDays ago and deletes their follows; the reports and
// their history stay public.
func (s *Store) PurgeContacts(ctx context.Context) (int64, error) {
	cutoff := privacy.Cutoff(s.now(), ContactDays)
	var total int64
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		total, err = affectedSum(ctx, tx, []string{
			`DELETE FROM report_followers WHERE report_id IN (SELECT id FROM reports WHERE resolved_at < ?)`,
			`UPDATE reports SET ` + anonymous + ` WHERE resolved_at < ? AND (contact_name <> '' OR contact_email <> ''
				OR contact_phone <> '' OR account_id <> '' OR manage_hash <> '')`}, cutoff)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("reports: retention: %w", err)
	}
	return total, nil
}

// PurgeStaged deletes, in every collectivité, the photos staged more
// than StagedFor ago and never sent with a report, their files with
// them. Only the rows this statement deleted give their files: a photo
// a report claimed meanwhile keeps its own.
func (s *Store) PurgeStaged(ctx context.Context) (int64, error) {
	var keys []string
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		keys = nil
		return db.Each(ctx, tx, `DELETE FROM report_staged_photos WHERE created_at < ? RETURNING file_key, thumb_key`,
			func(r db.Row) error {
				var k, thumb string
				err := r.Scan(&k, &thumb)
				keys = append(keys, k, thumb)
				return err
			}, s.now().Add(-StagedFor))
	})
	if err != nil {
		return 0, fmt.Errorf("reports: retention: %w", err)
	}
	s.removeFiles(ctx, keys)
	return int64(len(keys) / 2), nil
}

func affectedSum(ctx context.Context, tx *db.Tx, statements []string, args ...any) (int64, error) {
	var total int64
	for _, q := range statements {
		n, err := db.Affected(ctx, tx, q, args...)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// RetentionRules returns the rules the periodic retention job applies.
// The history keeps no personal data of the authors, so it has none.
func (s *Store) RetentionRules() []privacy.Rule {
	return []privacy.Rule{{Key: "reports.unconfirmed", Apply: s.PurgeUnconfirmed},
		{Key: "reports.contacts", Apply: s.PurgeContacts},
		{Key: "reports.staged_photos", Apply: s.PurgeStaged}}
}

// Processing returns the register's lines; their texts are in the
// reports web module's catalogue under reports.privacy.
func (s *Store) Processing() []privacy.Activity {
	const r, f = "reports.privacy.reports.", "reports.privacy.subscriptions."
	return []privacy.Activity{
		{Key: "reports.reports", Order: 250, Bases: []privacy.Basis{privacy.PublicTask}, Law: privacy.T(r + "law"),
			Name: privacy.T(r + "name"), Purpose: privacy.T(r + "purpose"), People: privacy.T(r + "people"),
			Data: privacy.T(r + "data"), Retention: privacy.T(r+"retention", UnconfirmedDays, ContactDays),
			Recipients: privacy.T(r + "recipients"), InUse: s.InUse},
		{Key: "reports.subscriptions", Order: 251, Bases: []privacy.Basis{privacy.PublicTask},
			Name: privacy.T(f + "name"), Purpose: privacy.T(f + "purpose"), People: privacy.T(f + "people"),
			Data: privacy.T(f + "data"), Retention: privacy.T(f+"retention", UnconfirmedDays, ContactDays),
			Recipients: privacy.T(f + "recipients"), InUse: s.InUse},
	}
}

// InUse reports whether the collectivité takes reports (has a category).
func (s *Store) InUse(ctx context.Context, tenantID string) (bool, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM report_categories WHERE tenant_id = ?`, tenantID).Scan(&n); err != nil {
		return false, fmt.Errorf("reports: in use: %w", err)
	}
	return n > 0, nil
}
