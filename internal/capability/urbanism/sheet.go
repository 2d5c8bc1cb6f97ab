package urbanism

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	orbclip "github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/planar"
)

// Sheet is what the territory says of one parcel.
type Sheet struct {
	Parcel *Parcel
	// Measured is the parcel's area computed from its outline, in m²: the
	// cadastre's contenance is the legal one, and they may differ.
	Measured float64
	// Zones are the zones the parcel lies in, the largest share first.
	Zones []ZoneShare
	// Constraints are the prescriptions and easements over it.
	Constraints []*Constraint
	// Protected is set when an easement makes it a protected area.
	Protected bool
	// Buildings are the buildings on it or touching it.
	Buildings []*Building
}

// ZoneShare is a zone and the part of the parcel inside it.
type ZoneShare struct {
	Zone *Zone
	Rule *Rule
	// Share is the fraction of the parcel's area in the zone, 0 to 1.
	Share float64
}

// Percent is the share in whole percents, "< 1" shown by the caller
// when it is 0 for a share above nothing.
func (z ZoneShare) Percent() int { return int(math.Round(z.Share * 100)) }

// minShare is the smallest share a sheet names: cadastre and PLU outlines
// are drawn from different surveys, and a parcel along a zone's edge
// often crosses it by a sliver that means nothing.
const minShare = 0.01

// Sheet returns the parcel's sheet.
func (t *Territory) Sheet(p *Parcel) *Sheet {
	b := p.Geometry.Bound()
	sh := &Sheet{Parcel: p, Measured: geo.Area(p.Geometry)}
	for _, z := range t.ZonesIn(b) {
		if share := shareIn(p.Geometry, z.Geometry); share >= minShare {
			sh.Zones = append(sh.Zones, ZoneShare{Zone: z, Rule: t.Rule(z), Share: share})
		}
	}
	slices.SortStableFunc(sh.Zones, func(a, b ZoneShare) int {
		switch {
		case a.Share > b.Share:
			return -1
		case a.Share < b.Share:
			return 1
		}
		return 0
	})
	for _, c := range t.ConstraintsIn(b) {
		if shareIn(p.Geometry, c.Geometry) >= minShare {
			sh.Constraints = append(sh.Constraints, c)
			sh.Protected = sh.Protected || c.Protected
		}
	}
	for _, bd := range t.BuildingsIn(b) {
		if planar.MultiPolygonContains(p.Geometry, centroid(bd.Geometry)) {
			sh.Buildings = append(sh.Buildings, bd)
		}
	}
	return sh
}

// samples is the side of the grid of points a share is measured on:
// 48 × 48 points over the parcel's box, enough for a share to the
// percent on the parcels of a commune.
const samples = 48

// shareIn returns the fraction of parcel's area inside area, measured on
// a grid of points over the parcel's box. The area is first clipped to
// that box, so that a zone of thousands of points costs no more than
// its few points near the parcel. An exact polygon intersection would
// need a clipping library for non-convex shapes; the percent a sheet
// shows does not.
func shareIn(parcel, area orb.MultiPolygon) float64 {
	b := parcel.Bound()
	if !b.Intersects(area.Bound()) {
		return 0
	}
	near := orbclip.MultiPolygon(b, area.Clone())
	if len(near) == 0 {
		return 0
	}
	inParcel, inBoth := 0, 0
	dx, dy := (b.Max.X()-b.Min.X())/samples, (b.Max.Y()-b.Min.Y())/samples
	for i := range samples {
		for j := range samples {
			pt := orb.Point{b.Min.X() + (float64(i)+0.5)*dx, b.Min.Y() + (float64(j)+0.5)*dy}
			if !planar.MultiPolygonContains(parcel, pt) {
				continue
			}
			inParcel++
			if planar.MultiPolygonContains(near, pt) {
				inBoth++
			}
		}
	}
	if inParcel == 0 { // a sliver thinner than the grid: its middle decides
		if planar.MultiPolygonContains(area, centroid(parcel)) {
			return 1
		}
		return 0
	}
	return float64(inBoth) / float64(inParcel)
}

// centroid is the centre of a shape's largest polygon, or of its box.
func centroid(g orb.MultiPolygon) orb.Point {
	best, area := -1, 0.0
	for i, p := range g {
		if a := math.Abs(planar.Area(p)); a > area {
			best, area = i, a
		}
	}
	if best < 0 {
		return g.Bound().Center()
	}
	c, _ := planar.CentroidArea(g[best])
	return c
}

// Center is a point inside the parcel's outline, where its label goes.
func (p *Parcel) Center() orb.Point {
	c := centroid(p.Geometry)
	if planar.MultiPolygonContains(p.Geometry, c) {
		return c
	}
	return p.Geometry.Bound().Center()
}
