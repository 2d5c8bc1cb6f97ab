package urbanism

import (
	"context"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
)

// Seam is what the territory answers the other capabilities through the
// kernel (kernel.SetTerritory): its box, its addresses and the outlines
// their maps draw under their own marks.
func (s *Store) Seam() kernel.TerritorySource {
	return kernel.TerritorySource{Bound: s.seamBound, FindAddresses: s.seamFind, NearestAddress: s.NearestAddress,
		Backdrop: s.Backdrop}
}

func (s *Store) seamBound(ctx context.Context, tenantID string) (orb.Bound, bool, error) {
	t, err := s.Territory(ctx, tenantID)
	if err != nil || t.Empty() {
		return orb.Bound{}, false, err
	}
	return t.Bound, true, nil
}

func (s *Store) seamFind(ctx context.Context, tenantID, typed string) ([]kernel.Address, error) {
	list, err := s.FindAddresses(ctx, tenantID, typed)
	if err != nil {
		return nil, err
	}
	out := make([]kernel.Address, len(list))
	for i, a := range list {
		out[i] = a.Shared()
	}
	return out, nil
}

// Shared returns the address as the kernel's seam gives it.
func (a *Address) Shared() kernel.Address {
	return kernel.Address{ID: a.ID, Label: a.Label(), Town: a.Town, Point: a.Point}
}

// nearReach is how far, in metres, NearestAddress looks around a point.
const nearReach = 300

// NearestAddress returns the address nearest p within nearReach metres.
func (s *Store) NearestAddress(ctx context.Context, tenantID string, p orb.Point) (kernel.Address, bool, error) {
	box := geo.NewBoundAroundPoint(p, nearReach)
	var best *Address
	bestDist := math.Inf(1)
	err := db.Each(ctx, s.db, `SELECT `+addressColumns+` FROM urbanism_addresses
		WHERE tenant_id = ? AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?`, func(r db.Row) error {
		a, err := scanAddress(r)
		if err != nil {
			return err
		}
		if d := geo.Distance(p, a.Point); d <= nearReach && d < bestDist {
			best, bestDist = a, d
		}
		return nil
	}, tenantID, box.Min.Lon(), box.Max.Lon(), box.Min.Lat(), box.Max.Lat())
	if err != nil || best == nil {
		return kernel.Address{}, false, err
	}
	return best.Shared(), true, nil
}

// Backdrop returns the territory's outlines within box: its sections (or
// its zones, lacking a cadastre), and its parcels and buildings when the
// box is at most kernel.BackdropDetail metres wide.
func (s *Store) Backdrop(ctx context.Context, tenantID string, box orb.Bound) (kernel.Backdrop, error) {
	t, err := s.Territory(ctx, tenantID)
	if err != nil {
		return kernel.Backdrop{}, err
	}
	var b kernel.Backdrop
	for _, sec := range t.Sections {
		if sec.Geometry.Bound().Intersects(box) {
			b.Areas = append(b.Areas, sec.Geometry)
		}
	}
	if len(t.Sections) == 0 {
		for _, z := range t.Zones {
			if z.Geometry.Bound().Intersects(box) {
				b.Areas = append(b.Areas, z.Geometry)
			}
		}
	}
	wide := geo.Distance(box.LeftTop(), box.RightBottom())
	if wide <= kernel.BackdropDetail*math.Sqrt2 {
		t.parcels.within(box, func(i int) { b.Parcels = append(b.Parcels, t.Parcels[i].Geometry) })
		t.buildings.within(box, func(i int) { b.Buildings = append(b.Buildings, t.Buildings[i].Geometry) })
	}
	for _, src := range t.Sources {
		if src.Attribution != "" {
			b.Credits = append(b.Credits, src.Attribution)
		}
	}
	return b, nil
}
