package urbanism

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/invalidate"
)

// Territory is a collectivité's cadastre and urban plan in memory, with
// the indexes its lookups need. It is shared by every request: never
// change it.
type Territory struct {
	Parcels     []*Parcel
	Sections    []*Section
	Buildings   []*Building
	Zones       []*Zone
	Constraints []*Constraint
	// Rules holds each zone label's regulation, by RuleKey.
	Rules map[string]*Rule
	// Sources are the latest import of each layer, to credit under maps.
	Sources []Source
	// Bound holds every parcel and zone.
	Bound orb.Bound

	byID      map[string]*Parcel
	byRef     map[string][]*Parcel
	parcels   *grid
	buildings *grid

	sectorsOnce sync.Once
	sectors     []Sector
	side        int

	keptMu sync.Mutex
	kept   map[string]any
}

// maxKept bounds what Keep holds for one territory: the atlas, its
// sectors and the zones' maps in two languages fit.
const maxKept = 512

// Keep returns the value kept under key, or builds and keeps it: what
// pages compute from the territory alone (a map's shapes, a sheet) lives
// as long as the territory, which an import replaces. Past maxKept
// values, it builds without keeping.
func (t *Territory) Keep(key string, build func() any) any {
	t.keptMu.Lock()
	v, ok := t.kept[key]
	t.keptMu.Unlock()
	if ok {
		return v
	}
	v = build()
	t.keptMu.Lock()
	defer t.keptMu.Unlock()
	if t.kept == nil {
		t.kept = map[string]any{}
	}
	if len(t.kept) < maxKept {
		t.kept[key] = v
	}
	return v
}

// Source is the latest import of a layer.
type Source struct {
	Layer       string
	FileName    string
	Attribution string
	At          time.Time
}

// Empty reports whether nothing was imported: no parcel and no zone.
func (t *Territory) Empty() bool { return len(t.Parcels) == 0 && len(t.Zones) == 0 }

// Territory returns a collectivité's territory, loaded once and kept
// until an import changes it.
func (s *Store) Territory(ctx context.Context, tenantID string) (*Territory, error) {
	return invalidate.Memoized(s.memo, tenantID, "territory", func() (*Territory, error) {
		t, err := s.loadTerritory(ctx, tenantID)
		return t, wrap("load territory", err)
	})
}

func (s *Store) loadTerritory(ctx context.Context, tenantID string) (*Territory, error) {
	t := &Territory{Rules: map[string]*Rule{}, byID: map[string]*Parcel{}, byRef: map[string][]*Parcel{}}
	loads := []func(context.Context, db.Querier, string) error{t.loadParcels, t.loadSections, t.loadBuildings,
		t.loadZones, t.loadConstraints, t.loadRules, t.loadSources}
	err := s.db.Snapshot(ctx, func(q db.Querier) error {
		for _, load := range loads {
			if err := load(ctx, q, tenantID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	t.index()
	return t, nil
}

func (t *Territory) index() {
	boxes := make([]orb.Bound, len(t.Parcels))
	for i, p := range t.Parcels {
		boxes[i] = p.Geometry.Bound()
		t.byID[p.ID] = p
		ref := refKey(p.Section, p.Number)
		t.byRef[ref] = append(t.byRef[ref], p)
	}
	t.parcels = newGrid(boxes)
	boxes = make([]orb.Bound, len(t.Buildings))
	for i, b := range t.Buildings {
		boxes[i] = b.Geometry.Bound()
	}
	t.buildings = newGrid(boxes)
	first := true
	extend := func(b orb.Bound) {
		if first {
			t.Bound, first = b, false
		} else {
			t.Bound = t.Bound.Union(b)
		}
	}
	if len(t.Parcels) > 0 {
		extend(t.parcels.bound)
	}
	for _, z := range t.Zones {
		extend(z.Geometry.Bound())
	}
}

// refKey is a parcel reference as lookups compare it: "AB/30".
func refKey(section, number string) string {
	section = strings.ToUpper(strings.TrimSpace(section))
	section = strings.TrimLeft(section, "0")
	number = strings.TrimLeft(strings.TrimSpace(number), "0")
	return section + "/" + number
}

// Parcel returns the parcel whose 14-character reference is id.
func (t *Territory) Parcel(id string) (*Parcel, error) {
	if p, ok := t.byID[strings.ToUpper(id)]; ok {
		return p, nil
	}
	return nil, ErrNotFound
}

// ByReference returns the parcels of a section and number ("AB", "30"):
// one, or several in a territory of several communes or prefixes.
func (t *Territory) ByReference(section, number string) []*Parcel {
	return t.byRef[refKey(section, number)]
}

// ParcelAt returns the parcel holding p, ErrNotFound outside every one.
func (t *Territory) ParcelAt(p orb.Point) (*Parcel, error) {
	var found *Parcel
	t.parcels.at(p, func(i int) bool {
		if planar.MultiPolygonContains(t.Parcels[i].Geometry, p) {
			found = t.Parcels[i]
			return false
		}
		return true
	})
	if found == nil {
		return nil, ErrNotFound
	}
	return found, nil
}

// ParcelsIn returns the parcels meeting b, by reference.
func (t *Territory) ParcelsIn(b orb.Bound) []*Parcel {
	var out []*Parcel
	t.parcels.within(b, func(i int) { out = append(out, t.Parcels[i]) })
	slices.SortFunc(out, func(a, b *Parcel) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// BuildingsIn returns the buildings meeting b.
func (t *Territory) BuildingsIn(b orb.Bound) []*Building {
	var out []*Building
	t.buildings.within(b, func(i int) { out = append(out, t.Buildings[i]) })
	return out
}

// ZonesIn returns the zones meeting b.
func (t *Territory) ZonesIn(b orb.Bound) []*Zone {
	var out []*Zone
	for _, z := range t.Zones {
		if z.Geometry.Bound().Intersects(b) {
			out = append(out, z)
		}
	}
	return out
}

// ZoneAt returns the zone holding p, ErrNotFound outside the plan.
func (t *Territory) ZoneAt(p orb.Point) (*Zone, error) {
	for _, z := range t.Zones {
		if z.Geometry.Bound().Contains(p) && planar.MultiPolygonContains(z.Geometry, p) {
			return z, nil
		}
	}
	return nil, ErrNotFound
}

// ConstraintsIn returns the prescriptions and easements meeting b.
func (t *Territory) ConstraintsIn(b orb.Bound) []*Constraint {
	var out []*Constraint
	for _, c := range t.Constraints {
		if c.Geometry.Bound().Intersects(b) {
			out = append(out, c)
		}
	}
	return out
}

// Rule returns the regulation of a zone, nil when none was written.
func (t *Territory) Rule(z *Zone) *Rule { return t.Rules[RuleKey(z.Commune, z.Label)] }

// Labels returns the zone labels of the plan, each once, with the zones
// bearing it, in the géostandard's order of types then by label.
func (t *Territory) Labels() []ZoneLabel {
	var out []ZoneLabel
	for _, z := range t.Zones {
		i := slices.IndexFunc(out, func(l ZoneLabel) bool { return l.Commune == z.Commune && l.Label == z.Label })
		if i < 0 {
			out = append(out, ZoneLabel{Commune: z.Commune, Label: z.Label, LongLabel: z.LongLabel, Type: z.Type,
				FileName: z.FileName, FileURL: z.FileURL, Rule: t.Rule(z)})
			i = len(out) - 1
		}
		out[i].Zones = append(out[i].Zones, z)
	}
	slices.SortStableFunc(out, func(a, b ZoneLabel) int {
		if c := slices.Index(ZoneTypes, a.Type) - slices.Index(ZoneTypes, b.Type); c != 0 {
			return c
		}
		return strings.Compare(a.Commune+a.Label, b.Commune+b.Label)
	})
	return out
}

// ZoneLabel is a zone label of the plan ("UA") and the zones bearing it.
type ZoneLabel struct {
	Commune, Label, LongLabel, Type string
	FileName, FileURL               string
	Rule                            *Rule
	Zones                           []*Zone
}
