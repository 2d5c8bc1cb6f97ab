// Package reports is the problem reports of a collectivité ("Signaler un
// problème"): a pothole, a broken street light, graffiti. Residents
// report in a category at a point on the map, with a description, the
// category's questions answered and photos; a guest confirms their
// address first (double opt-in), a signed-in resident with a verified
// address and an Open311 client are trusted at once. A confirmed report
// is public without its author, routed to the category's service or
// contractor, and mailed to the area alerts around it; staff move it
// through its statuses, each change recorded in its public history and
// mailed to its author and followers. The package also keeps the
// Open311 clients' keys, the figures per category and the RGPD's
// export, erasure and retention.
package reports

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"guichet"
	"guichet/internal/kernel"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/mail"
	"guichet/internal/publishing"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the categories', reports', updates', photos',
// followers', area alerts' and API keys' tables.
var Migrations = db.Embedded("reports", migrationFiles)

//go:embed mail/*.txt
var mailFiles embed.FS

// MailFiles holds the emails of the reports (mail/*.txt), added to the
// outbox's registry as module "reports".
func MailFiles() fs.FS { return mailFiles }

// ErrNotFound is a category, report, photo or key the collectivité does
// not have, or one the caller may not see: the two look alike.
var ErrNotFound = guichet.Errorf(guichet.ENotFound, "Signalement introuvable.")

// Store keeps the reports of every collectivité; every query filters by
// tenant_id, except the retention's.
type Store struct {
	db *db.DB
	// Now is the clock every rule reads.
	Now clock.Clock
	// Files keeps the photos' bytes (the kernel's bucket, so that quotas
	// and backups count them).
	Files files.Storage
	// CheckStorage, when set, refuses photos once the collectivité's
	// files fill their quota (kernel.CheckStorage).
	CheckStorage func(ctx context.Context, tenantID string) error
	// Mail, when set, queues the mails in the transaction of what they
	// tell; Links then gives the site's address for their links.
	Mail  mail.TxEnqueuer
	Links kernel.Links
}

// NewStore returns the store on d, keeping photos in storage.
func NewStore(d *db.DB, storage files.Storage) *Store {
	return &Store{db: d, Files: storage, Now: clock.System}
}

// DB returns the store's database.
func (s *Store) DB() *db.DB { return s.db }

// now is the store's time to the second, as rows keep it and cursors
// carry it.
func (s *Store) now() time.Time { return s.Now().UTC().Truncate(time.Second) }

// wrap names what failed, leaving typed errors as they are.
func wrap(what string, err error) error {
	if err == nil || errors.Is(err, ErrNotFound) || guichet.ErrorCode(err) != guichet.EInternal {
		return err
	}
	return fmt.Errorf("reports: %s: %w", what, err)
}

// Sources of a report.
const (
	SourceWeb     = "web"
	SourceOpen311 = "open311"
)

// Report is one problem reported.
type Report struct {
	// ID is unguessable; Reference (SIG-2026-000123) is for display.
	ID, TenantID, Reference string
	CategoryID              string
	// Lat and Lon are WGS 84 degrees.
	Lat, Lon             float64
	Address, Description string
	Answers              Answers
	Status               Status
	// PublicNote is the last note staff wrote for the public.
	PublicNote string
	// DuplicateOf is the report this one repeats (status Duplicate).
	DuplicateOf string
	// Contact and AccountID are personal: public reads leave them empty.
	Contact   Contact
	AccountID string
	// Source is SourceWeb or SourceOpen311, with the client's APIKeyID.
	Source, APIKeyID string
	// Lang is the language of the author's mails.
	Lang                 string
	CreatedAt, UpdatedAt time.Time
	// ConfirmedAt is nil while a guest has not confirmed their address:
	// the report is then neither public nor routed.
	ConfirmedAt, AcknowledgedAt, FixedAt, ClosedAt *time.Time
	// ResolvedAt is when it last became fixed, closed or a duplicate.
	ResolvedAt *time.Time
}

// Contact is how to reach a report's author; never public.
type Contact struct{ Name, Email, Phone string }

// Path is the report's public page.
func (r *Report) Path() string { return ReportPath(r.ID) }

// Confirmed reports whether the report is confirmed (public and routed).
func (r *Report) Confirmed() bool { return r.ConfirmedAt != nil }

const reportCols = `id, tenant_id, reference, category_id, lat, lon, address, description, answers, status, public_note,
	duplicate_of, contact_name, contact_email, contact_phone, account_id, source, api_key_id, lang, created_at, updated_at,
	confirmed_at, acknowledged_at, fixed_at, closed_at, resolved_at`

func scanReport(r db.Row) (*Report, error) {
	var rp Report
	var answers string
	var confirmed, acked, fixed, closed, resolved sql.NullTime
	err := r.Scan(&rp.ID, &rp.TenantID, &rp.Reference, &rp.CategoryID, &rp.Lat, &rp.Lon, &rp.Address, &rp.Description,
		&answers, &rp.Status, &rp.PublicNote, &rp.DuplicateOf, &rp.Contact.Name, &rp.Contact.Email, &rp.Contact.Phone,
		&rp.AccountID, &rp.Source, &rp.APIKeyID, &rp.Lang, &rp.CreatedAt, &rp.UpdatedAt, &confirmed, &acked, &fixed, &closed, &resolved)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(answers), &rp.Answers); err != nil {
		return nil, fmt.Errorf("answers of report %s: %w", rp.ID, err)
	}
	rp.CreatedAt, rp.UpdatedAt = rp.CreatedAt.UTC(), rp.UpdatedAt.UTC()
	rp.ConfirmedAt, rp.AcknowledgedAt = publishing.FromNull(confirmed), publishing.FromNull(acked)
	rp.FixedAt, rp.ClosedAt, rp.ResolvedAt = publishing.FromNull(fixed), publishing.FromNull(closed), publishing.FromNull(resolved)
	return &rp, nil
}

// private empties what only staff and the author see.
func (r *Report) private() *Report {
	r.Contact, r.AccountID, r.APIKeyID = Contact{}, "", ""
	return r
}

// reportQ returns one report of the collectivité on q.
func reportQ(ctx context.Context, q db.Querier, tenantID, id string) (*Report, error) {
	return scanReport(q.QueryRow(ctx, `SELECT `+reportCols+` FROM reports WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// Report returns any report of the collectivité, with its author's
// contact: for staff, and for the author once proven.
func (s *Store) Report(ctx context.Context, tenantID, id string) (*Report, error) {
	r, err := reportQ(ctx, s.db, tenantID, id)
	return r, wrap("report", err)
}
