package a11y

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/invalidate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the audit table.
var Migrations = db.Embedded("a11y", migrationFiles)

// ErrNoAudit is returned when a collectivité has recorded no audit yet.
var ErrNoAudit = guichet.Errorf(guichet.ENotFound, "aucun audit d'accessibilité enregistré")

// levelTTL bounds how stale the footer mention may be when another process
// records an audit; this process's own audits are announced on the seam.
const levelTTL = time.Minute

// Store records audits; the latest one is the statement's source.
type Store struct {
	db     *db.DB
	mu     sync.Mutex
	levels map[string]cachedLevel
	// results maps stored results to their decoding, which depends on the
	// text alone.
	results map[string]map[string]Status
	// Now is the clock.
	Now     clock.Clock
	changes *invalidate.Bus
	// public keeps the latest audit that the public statement shows.
	public *invalidate.Memo
}

type cachedLevel struct {
	level Level
	at    time.Time
}

// NewStore returns a Store on d, on a seam of its own until Join.
func NewStore(d *db.DB) *Store {
	s := &Store{db: d, levels: map[string]cachedLevel{}, results: map[string]map[string]Status{}, Now: clock.System}
	s.Join(invalidate.New())
	return s
}

// Join announces the store's audits on b and registers its cache of
// conformity levels there.
func (s *Store) Join(b *invalidate.Bus) {
	s.changes = b
	b.Register(invalidate.Cache{Name: "a11y-level", Holds: []invalidate.Kind{invalidate.A11yAudit},
		TTL: levelTTL, Drop: s.dropLevels})
	s.public = invalidate.NewMemo(b, "a11y-statement", levelTTL, invalidate.A11yAudit)
}

// published is the latest audit and whether there is one.
type published struct {
	audit *Audit
	found bool
}

// LatestShared is Latest as the public statement reads it: shared by
// every visitor until the next audit is recorded; it must not be changed.
func (s *Store) LatestShared(ctx context.Context, tenantID string) (*Audit, error) {
	p, err := invalidate.Memoized(s.public, tenantID, "latest", func() (published, error) {
		a, err := s.Latest(ctx, tenantID)
		if errors.Is(err, ErrNoAudit) {
			return published{}, nil
		}
		return published{a, true}, err
	})
	if err == nil && !p.found {
		err = ErrNoAudit
	}
	return p.audit, err
}

// dropLevels forgets the cached level of the collectivités a change touches.
func (s *Store) dropLevels(c invalidate.Change) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for tenantID := range s.levels {
		if c.Touches(tenantID, "") {
			delete(s.levels, tenantID)
		}
	}
}

const auditColumns = `id, tenant_id, audited_on, auditor, results, non_conformities, derogations, exempt,
	pages, tools, contact, schema_plan, action_plan, recorded_by, created_at`

// Save validates a and records it as the tenant's latest audit; earlier
// audits are kept as history.
func (s *Store) Save(ctx context.Context, a *Audit) error {
	if err := a.Validate(s.Now()); err != nil {
		return err
	}
	results, err := json.Marshal(a.Results)
	if err != nil {
		return fmt.Errorf("a11y: save: %w", err)
	}
	a.ID = uuid.NewString()
	a.CreatedAt = s.Now()
	a.AuditedOn = a.AuditedOn.UTC()
	_, err = s.db.Exec(ctx, `INSERT INTO a11y_audits (`+auditColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.TenantID, a.AuditedOn, a.Auditor, string(results), a.NonConformities, a.Derogations, a.Exempt,
		a.Pages, a.Tools, a.Contact, a.SchemaPlan, a.ActionPlan, a.RecordedBy, a.CreatedAt)
	if err != nil {
		return fmt.Errorf("a11y: save: %w", err)
	}
	s.changes.Changed(ctx, invalidate.Change{Kind: invalidate.A11yAudit, TenantID: a.TenantID})
	return nil
}

// Latest returns the tenant's most recent audit, or ErrNoAudit.
func (s *Store) Latest(ctx context.Context, tenantID string) (*Audit, error) {
	row := s.db.QueryRow(ctx, `SELECT `+auditColumns+` FROM a11y_audits WHERE tenant_id = ?
		ORDER BY created_at DESC, id DESC LIMIT 1`, tenantID)
	var a Audit
	var results string
	err := row.Scan(&a.ID, &a.TenantID, &a.AuditedOn, &a.Auditor, &results, &a.NonConformities, &a.Derogations,
		&a.Exempt, &a.Pages, &a.Tools, &a.Contact, &a.SchemaPlan, &a.ActionPlan, &a.RecordedBy, &a.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoAudit
	}
	if err != nil {
		return nil, fmt.Errorf("a11y: latest: %w", err)
	}
	if a.Results, err = s.parsed(results); err != nil {
		return nil, fmt.Errorf("a11y: latest: results: %w", err)
	}
	return &a, nil
}

// parsed returns the verdicts stored as results, decoded once per text:
// the statement page decoded a hundred verdicts on every visit. Each
// caller gets its own copy.
func (s *Store) parsed(results string) (map[string]Status, error) {
	s.mu.Lock()
	kept, ok := s.results[results]
	s.mu.Unlock()
	if ok {
		return maps.Clone(kept), nil
	}
	var out map[string]Status
	if err := json.Unmarshal([]byte(results), &out); err != nil {
		return nil, err
	}
	s.mu.Lock()
	if len(s.results) >= maxParsedResults {
		clear(s.results)
	}
	s.results[results] = out
	s.mu.Unlock()
	return maps.Clone(out), nil
}

// maxParsedResults bounds the decoded results kept (one per audit read).
const maxParsedResults = 256

// Level returns the tenant's conformity state for the footer of every
// page, from a short-lived cache so that pages cost no query.
func (s *Store) Level(ctx context.Context, tenantID string) (Level, error) {
	s.mu.Lock()
	c, ok := s.levels[tenantID]
	s.mu.Unlock()
	if ok && time.Since(c.at) < levelTTL {
		return c.level, nil
	}
	a, err := s.Latest(ctx, tenantID)
	if err != nil && !errors.Is(err, ErrNoAudit) {
		return LevelNone, err
	}
	level := a.Level() // nil audit → not conformant
	s.mu.Lock()
	s.levels[tenantID] = cachedLevel{level, time.Now()}
	s.mu.Unlock()
	return level, nil
}
