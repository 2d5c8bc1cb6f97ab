package tenant

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/invalidate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the tenant tables.
var Migrations = db.Embedded("tenant", migrationFiles)

// ErrNotFound is returned for an unknown or hidden tenant.
var ErrNotFound = guichet.Errorf(guichet.ENotFound, "collectivité introuvable")

// Store reads and writes tenants.
type Store struct {
	db *db.DB
	// Now is the clock.
	Now clock.Clock
	// changes hears of every tenant written here.
	changes *invalidate.Bus
}

// NewStore returns a Store on d, announcing its changes on a seam of its
// own until Join moves it onto the application's.
func NewStore(d *db.DB) *Store { return &Store{db: d, Now: clock.System, changes: invalidate.New()} }

// Join announces the store's changes on b; caches of tenants (the
// resolver) register on the store's seam, so join before creating them.
func (s *Store) Join(b *invalidate.Bus) { s.changes = b }

// Changes returns the seam the store announces its changes on.
func (s *Store) Changes() *invalidate.Bus { return s.changes }

// changed announces that tenant id changed.
func (s *Store) changed(ctx context.Context, id string) {
	s.changes.Changed(ctx, invalidate.Change{Kind: invalidate.Tenant, TenantID: id})
}

const columns = `id, slug, name, kind, insee_code, siret, address, email, phone, opening_hours,
	time_zone, logo_path, color_primary, color_accent, languages, population, status, created_at, updated_at`

// Create validates and inserts t with its host names, returning it with its id.
func (s *Store) Create(ctx context.Context, t Tenant) (*Tenant, error) {
	t.applyDefaults()
	if err := t.Validate(); err != nil {
		return nil, err
	}
	t.ID = uuid.NewString()
	t.CreatedAt = s.Now()
	t.UpdatedAt = t.CreatedAt
	err := s.db.InTx(ctx, func(tx *db.Tx) error { return insert(ctx, tx, &t) })
	if db.IsUniqueViolation(err) {
		return nil, &guichet.Error{Code: guichet.EConflict, Message: "Cet identifiant ou ce nom d'hôte est déjà pris.",
			Fields: map[string]string{"slug": "Cet identifiant ou un nom d'hôte est déjà pris."}}
	}
	if err != nil {
		return nil, fmt.Errorf("tenant: create: %w", err)
	}
	s.changed(ctx, t.ID) // a host cached as unknown may be its
	return &t, nil
}

func insert(ctx context.Context, tx *db.Tx, t *Tenant) error {
	_, err := tx.Exec(ctx, `INSERT INTO tenants (`+columns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.Slug, t.Name, t.Kind, t.INSEE, t.SIRET, t.Address, t.Email, t.Phone, t.OpeningHours,
		t.TimeZone, t.LogoPath, t.ColorPrimary, t.ColorAccent, strings.Join(t.Languages, ","), t.Population,
		t.Status, t.CreatedAt, t.UpdatedAt)
	if err != nil {
		return err
	}
	return insertHosts(ctx, tx, t)
}

func insertHosts(ctx context.Context, tx *db.Tx, t *Tenant) error {
	for _, h := range t.Hosts {
		if _, err := tx.Exec(ctx, `INSERT INTO tenant_hosts (host, tenant_id) VALUES (?, ?)`, h, t.ID); err != nil {
			return err
		}
	}
	return nil
}

// EnsurePlatform creates the operator's pseudo-tenant if it is missing.
func (s *Store) EnsurePlatform(ctx context.Context) error {
	now := s.Now()
	_, err := s.db.Exec(ctx, `INSERT INTO tenants (id, slug, name, kind, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		PlatformID, PlatformID, "Plateforme Guichet", KindPlatform, now, now)
	if err != nil {
		return fmt.Errorf("tenant: ensure platform: %w", err)
	}
	s.changed(ctx, PlatformID)
	return nil
}

// Update saves every editable field of t and replaces its host names.
func (s *Store) Update(ctx context.Context, t Tenant) (*Tenant, error) {
	t.applyDefaults()
	if err := t.Validate(); err != nil {
		return nil, err
	}
	t.UpdatedAt = s.Now()
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE tenants SET slug=?, name=?, kind=?, insee_code=?, siret=?, address=?,
			email=?, phone=?, opening_hours=?, time_zone=?, logo_path=?, color_primary=?, color_accent=?,
			languages=?, population=?, updated_at=? WHERE id=? AND id <> ?`,
			t.Slug, t.Name, t.Kind, t.INSEE, t.SIRET, t.Address, t.Email, t.Phone, t.OpeningHours, t.TimeZone,
			t.LogoPath, t.ColorPrimary, t.ColorAccent, strings.Join(t.Languages, ","), t.Population,
			t.UpdatedAt, t.ID, PlatformID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if _, err := tx.Exec(ctx, `DELETE FROM tenant_hosts WHERE tenant_id = ?`, t.ID); err != nil {
			return err
		}
		return insertHosts(ctx, tx, &t)
	})
	if db.IsUniqueViolation(err) {
		return nil, &guichet.Error{Code: guichet.EConflict, Message: "Cet identifiant ou ce nom d'hôte est déjà pris.",
			Fields: map[string]string{"slug": "Cet identifiant ou un nom d'hôte est déjà pris."}}
	}
	if err != nil {
		return nil, fmt.Errorf("tenant: update: %w", err)
	}
	s.changed(ctx, t.ID)
	return &t, nil
}

// SetStatus suspends or reactivates a tenant.
func (s *Store) SetStatus(ctx context.Context, id, status string) error {
	if status != StatusActive && status != StatusSuspended {
		return guichet.Errorf(guichet.EInvalid, "statut inconnu : %s", status)
	}
	res, err := s.db.Exec(ctx, `UPDATE tenants SET status = ?, updated_at = ? WHERE id = ? AND id <> ?`,
		status, s.Now(), id, PlatformID)
	if err != nil {
		return fmt.Errorf("tenant: set status: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	s.changed(ctx, id)
	return nil
}

// Get returns the tenant with id.
func (s *Store) Get(ctx context.Context, id string) (*Tenant, error) {
	return s.one(ctx, `SELECT `+columns+` FROM tenants WHERE id = ?`, id)
}

// BySlug returns the tenant with slug.
func (s *Store) BySlug(ctx context.Context, slug string) (*Tenant, error) {
	return s.one(ctx, `SELECT `+columns+` FROM tenants WHERE slug = ?`, slug)
}

// ByHost returns the tenant registered for an exact host name.
func (s *Store) ByHost(ctx context.Context, host string) (*Tenant, error) {
	return s.one(ctx, `SELECT `+prefixed("t.")+` FROM tenants t JOIN tenant_hosts h ON h.tenant_id = t.id
		WHERE h.host = ?`, NormalizeHost(host))
}

func prefixed(p string) string {
	parts := strings.Split(columns, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

func (s *Store) one(ctx context.Context, q string, args ...any) (*Tenant, error) {
	t, err := scan(s.db.QueryRow(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("tenant: read: %w", err)
	}
	if err := s.loadHosts(ctx, []*Tenant{t}); err != nil {
		return nil, err
	}
	return t, nil
}

// List returns every collectivité (not the platform), by name.
func (s *Store) List(ctx context.Context) ([]*Tenant, error) {
	rows, err := s.db.Query(ctx, `SELECT `+columns+` FROM tenants WHERE id <> ? ORDER BY name`, PlatformID)
	if err != nil {
		return nil, fmt.Errorf("tenant: list: %w", err)
	}
	defer rows.Close()
	var list []*Tenant
	for rows.Next() {
		t, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("tenant: list: %w", err)
		}
		list = append(list, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return list, s.loadHosts(ctx, list)
}

func (s *Store) loadHosts(ctx context.Context, list []*Tenant) error {
	byID := map[string]*Tenant{}
	for _, t := range list {
		byID[t.ID] = t
	}
	rows, err := s.db.Query(ctx, `SELECT host, tenant_id FROM tenant_hosts ORDER BY host`)
	if err != nil {
		return fmt.Errorf("tenant: hosts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var host, id string
		if err := rows.Scan(&host, &id); err != nil {
			return err
		}
		if t := byID[id]; t != nil {
			t.Hosts = append(t.Hosts, host)
		}
	}
	return rows.Err()
}

type scanner interface{ Scan(dest ...any) error }

func scan(r scanner) (*Tenant, error) {
	var t Tenant
	var langs string
	err := r.Scan(&t.ID, &t.Slug, &t.Name, &t.Kind, &t.INSEE, &t.SIRET, &t.Address, &t.Email, &t.Phone,
		&t.OpeningHours, &t.TimeZone, &t.LogoPath, &t.ColorPrimary, &t.ColorAccent, &langs, &t.Population,
		&t.Status, &t.CreatedAt, &t.UpdatedAt)
	if err != nil {
		return nil, err
	}
	t.Languages = strings.Split(langs, ",")
	return &t, nil
}
