package urbanism

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/invalidate"
)

// Store reads and writes a collectivité's territory. Lookups go through
// an in-memory copy of each territory (Territory), loaded once and
// dropped when an import or a regulation changes it.
type Store struct {
	db    *db.DB
	files files.Storage
	// Now is the store's clock.
	Now     clock.Clock
	changes *invalidate.Bus
	memo    *invalidate.Memo
}

// territoryTTL bounds how long a territory stays in memory unused by a
// change; imports announce themselves, so it is only a backstop for a
// missed announcement.
const territoryTTL = 10 * time.Minute

// NewStore returns the store, keeping regulation files in storage and
// announcing its changes on changes (its own cache listens there).
func NewStore(d *db.DB, storage files.Storage, now clock.Clock, changes *invalidate.Bus) *Store {
	return &Store{db: d, files: storage, Now: now, changes: changes,
		memo: invalidate.NewMemo(changes, "urbanism-territories", territoryTTL, invalidate.Territory).Bound(64)}
}

// DB returns the store's database.
func (s *Store) DB() *db.DB { return s.db }

// changed drops the cached territory of a collectivité, on every node.
func (s *Store) changed(ctx context.Context, tenantID string) {
	s.changes.Changed(ctx, invalidate.Change{Kind: invalidate.Territory, TenantID: tenantID})
}

func wrap(what string, err error) error {
	if err == nil || errors.Is(err, ErrNotFound) {
		return err
	}
	return fmt.Errorf("urbanism: %s: %w", what, err)
}

// geometryValue is a geometry as stored: WKB, little-endian.
func geometryValue(g orb.MultiPolygon) ([]byte, error) { return wkb.Marshal(g) }

// readGeometry reads back what geometryValue stored, as a multipolygon.
func readGeometry(b []byte) (orb.MultiPolygon, error) {
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return nil, err
	}
	switch v := g.(type) {
	case orb.MultiPolygon:
		return v, nil
	case orb.Polygon:
		return orb.MultiPolygon{v}, nil
	}
	return nil, fmt.Errorf("stored geometry is a %s", g.GeoJSONType())
}

// Import is one import of the history.
type Import struct {
	Layer, Commune, FileName, Attribution string
	Added, Changed, Unchanged, Removed    int
	At                                    time.Time
}

// Imports returns a collectivité's latest imports, the latest first.
func (s *Store) Imports(ctx context.Context, tenantID string, limit int) ([]Import, error) {
	var out []Import
	err := db.Each(ctx, s.db, `SELECT layer, commune, file_name, attribution, added, changed, unchanged, removed, imported_at
		FROM urbanism_imports WHERE tenant_id = ? ORDER BY imported_at DESC LIMIT ?`, func(r db.Row) error {
		var i Import
		err := r.Scan(&i.Layer, &i.Commune, &i.FileName, &i.Attribution, &i.Added, &i.Changed, &i.Unchanged, &i.Removed, &i.At)
		out = append(out, i)
		return err
	}, tenantID, limit)
	return out, wrap("imports", err)
}

// Drop forgets this process's copy of a collectivité's territory, as a
// change does (benchmarks of the load).
func (s *Store) Drop(tenantID string) {
	s.memo.Drop(invalidate.Change{Kind: invalidate.Territory, TenantID: tenantID})
}
