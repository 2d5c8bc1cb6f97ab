package procedure

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"guichet/internal/publishing/search"
	"sync"
	"time"

	"guichet"
	"guichet/internal/kernel/applications"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/live"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the procedures, versions, cases and their history,
// messages, files and canned replies.
var Migrations = db.Embedded("procedure", migrationFiles)

// ErrNotFound covers a missing procedure or case, and one that belongs to
// someone else: the two must look alike.
var ErrNotFound = guichet.Errorf(guichet.ENotFound, "Démarche ou dossier introuvable.")

// Store reads and writes procedures and cases of every collectivité; each
// query is scoped by tenant.
type Store struct {
	db    *db.DB
	Files files.Storage
	// Search, when set, lists the open procedures in the site search.
	Search *search.Index
	// Changes, when set, hears of every change to the procedures (caches
	// of the published list).
	Changes *invalidate.Bus
	// CheckStorage, when set, refuses uploads once the collectivité's
	// files fill their quota (kernel.CheckStorage).
	CheckStorage func(ctx context.Context, tenantID string) error
	// Live, when set, tells the resident's open case page, on any node,
	// that the mairie wrote or decided (Topic).
	Live *live.Hub
	// Law, when set, returns the law of urban-planning applications
	// (kernel.Applications, known once every capability is installed).
	Law func() applications.Law
	// Zone, when set, gives a collectivité's time zone: an application's
	// days are its calendar days.
	Zone func(ctx context.Context, tenantID string) (*time.Location, error)
	// Now is the clock; tests replace it.
	Now      func() time.Time
	versions sync.Map // "tenant/procedure/number" → *Form, frozen once published
	mu       sync.Mutex
	last     time.Time
}

// NewStore returns a store on d keeping uploads in storage.
func NewStore(d *db.DB, storage files.Storage) *Store {
	return &Store{db: d, Files: storage, Now: clock.System}
}

// DB returns the store's database.
func (s *Store) DB() *db.DB { return s.db }

func (s *Store) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

// tick returns now, but always later than its previous result, so that
// a case's history keeps its order even when two events share a clock tick.
func (s *Store) tick() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.now()
	if !t.After(s.last) {
		t = s.last.Add(time.Microsecond)
	}
	s.last = t
	return t
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

func wrap(what string, err error) error {
	if err == nil || guichet.ErrorCode(err) != guichet.EInternal {
		return err
	}
	return fmt.Errorf("procedure: %s: %w", what, err)
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return *t
}

func timePtr(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}
