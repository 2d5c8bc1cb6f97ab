package abuse

import (
	"context"
	"embed"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet/internal/kernel/db"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the table of refusals.
var Migrations = db.Embedded("abuse", migrationFiles)

// Retention is how long refusals are kept.
const Retention = 30 * 24 * time.Hour

// PurgeEvery is how often refusals past Retention are deleted.
const PurgeEvery = 6 * time.Hour

// Refusal is one attempt refused by a limit.
type Refusal struct {
	ID, TenantID, TenantName string
	At                       time.Time
	Action                   string
	Kind                     Kind
	// Address is the client's address as limits count it (IPv4, or IPv6 /64).
	Address string
	// Email is masked: its first letter and its domain.
	Email string
}

// Log keeps refusals in the database.
type Log struct{ db *db.DB }

// NewLog returns the log of refusals on d.
func NewLog(d *db.DB) *Log { return &Log{db: d} }

// Record implements Recorder.
func (l *Log) Record(ctx context.Context, r Refusal) error {
	if r.TenantID == "" {
		return nil
	}
	_, err := l.db.Exec(ctx, `INSERT INTO abuse_refusals (id, tenant_id, action, kind, address, email, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, uuid.NewString(), r.TenantID, r.Action, string(r.Kind), r.Address, r.Email, r.At.UTC())
	if err != nil {
		return fmt.Errorf("abuse: record: %w", err)
	}
	return nil
}

// Recent returns refusals of every collectivité, newest first, skipping
// offset, and how many there are: for the platform operator only (the
// table holds 30 days at most).
func (l *Log) Recent(ctx context.Context, offset, limit int) ([]*Refusal, int, error) {
	var total int
	if err := l.db.QueryRow(ctx, `SELECT COUNT(*) FROM abuse_refusals`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("abuse: count: %w", err)
	}
	rows, err := l.db.Query(ctx, `SELECT r.id, r.tenant_id, t.name, r.created_at, r.action, r.kind, r.address, r.email
		FROM abuse_refusals r JOIN tenants t ON t.id = r.tenant_id
		ORDER BY r.created_at DESC, r.id LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("abuse: list: %w", err)
	}
	defer rows.Close()
	var out []*Refusal
	for rows.Next() {
		var r Refusal
		var kind string
		if err := rows.Scan(&r.ID, &r.TenantID, &r.TenantName, &r.At, &r.Action, &kind, &r.Address, &r.Email); err != nil {
			return nil, 0, err
		}
		r.Kind = Kind(kind)
		out = append(out, &r)
	}
	return out, total, rows.Err()
}

// Purge deletes the refusals older than Retention at now, in every
// collectivité, and returns how many.
func (l *Log) Purge(ctx context.Context, now time.Time) (int64, error) {
	res, err := l.db.Exec(ctx, `DELETE FROM abuse_refusals WHERE created_at < ?`, now.UTC().Add(-Retention))
	if err != nil {
		return 0, fmt.Errorf("abuse: purge: %w", err)
	}
	return res.RowsAffected()
}

// MaskEmail keeps an address's first character and its domain, enough to
// see a flood aimed at one mailbox without showing whose it is.
func MaskEmail(email string) string {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return ""
	}
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" {
		return "•••"
	}
	first := []rune(local)[0]
	return string(first) + "•••@" + domain
}
