package reports

import (
	"context"
	"time"

	"github.com/google/uuid"

	"guichet/internal/kernel/db"
)

// Update is one line of a report's public history: a status given, a
// note written, by an agent (their display name) or the author
// (ReporterName).
type Update struct {
	Status Status
	Note   string
	By     string
	At     time.Time
}

// addUpdate appends u to r's history; the report's row, changed first
// in the same transaction, holds off any other change to it meanwhile.
func addUpdate(ctx context.Context, tx *db.Tx, r *Report, u Update) error {
	var seq int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM report_updates WHERE tenant_id = ? AND report_id = ?`,
		r.TenantID, r.ID).Scan(&seq); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO report_updates (id, tenant_id, report_id, seq, status, public_note, by_name, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, uuid.NewString(), r.TenantID, r.ID, seq+1, u.Status, u.Note, u.By, u.At)
	return err
}

// updates returns a report's history, oldest first.
func updates(ctx context.Context, q db.Querier, tenantID, reportID string) ([]Update, error) {
	var out []Update
	err := db.Each(ctx, q, `SELECT status, public_note, by_name, created_at FROM report_updates
		WHERE tenant_id = ? AND report_id = ? ORDER BY seq`, func(r db.Row) error {
		var u Update
		err := r.Scan(&u.Status, &u.Note, &u.By, &u.At)
		u.At = u.At.UTC()
		out = append(out, u)
		return err
	}, tenantID, reportID)
	return out, err
}
