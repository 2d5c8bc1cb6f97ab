package reports

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"guichet"
	"guichet/internal/kernel/db"
)

// metresPerDegree is a degree of latitude on orb's sphere.
const metresPerDegree = orb.EarthRadius * math.Pi / 180

// Distance is the great-circle distance in metres between two points
// given in degrees.
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	return geo.DistanceHaversine(orb.Point{lon1, lat1}, orb.Point{lon2, lat2})
}

// Near is an open report close to a point.
type Near struct {
	ID, Reference, CategoryID string
	Status                    Status
	Lat, Lon                  float64
	Address, Description      string
	CreatedAt                 time.Time
	// Distance is in metres from the point asked about.
	Distance float64
}

// Path is the report's public page.
func (n *Near) Path() string { return ReportPath(n.ID) }

// Bounds of a lookup of nearby reports.
const (
	MaxNearbyRadius = 5000
	MaxNearbyLimit  = 50
)

// Nearby returns the confirmed open reports of a category within radius
// metres of a point, nearest first, at most limit: what the form shows
// before a resident reports the same problem again. The partial index of
// open reports narrows to the box around the circle; the exact distance
// is measured here.
func (s *Store) Nearby(ctx context.Context, tenantID, categoryID string, lat, lon, radius float64, limit int) ([]Near, error) {
	if !InFrance(lat, lon) || !(radius > 0 && radius <= MaxNearbyRadius) {
		return nil, guichet.Errorf(guichet.EInvalid, "Choisissez un point en France et une distance de 5 000 mètres au plus.")
	}
	limit = min(max(limit, 1), MaxNearbyLimit)
	box := geo.NewBoundAroundPoint(orb.Point{lon, lat}, radius)
	var out []Near
	err := db.Each(ctx, s.db, nearbyQuery, func(r db.Row) error {
		n := Near{CategoryID: categoryID}
		if err := r.Scan(&n.ID, &n.Reference, &n.Status, &n.Lat, &n.Lon, &n.Address, &n.Description, &n.CreatedAt); err != nil {
			return err
		}
		if n.Distance = Distance(lat, lon, n.Lat, n.Lon); n.Distance <= radius {
			n.CreatedAt = n.CreatedAt.UTC()
			out = append(out, n)
		}
		return nil
	}, tenantID, categoryID, box.Min.Lat(), box.Max.Lat(), box.Min.Lon(), box.Max.Lon())
	if err != nil {
		return nil, wrap("nearby", err)
	}
	slices.SortFunc(out, func(a, b Near) int {
		if c := cmp.Compare(a.Distance, b.Distance); c != 0 {
			return c
		}
		return b.CreatedAt.Compare(a.CreatedAt)
	})
	return out[:min(len(out), limit)], nil
}

// nearbyQuery reads the reports_nearby index in the box: its condition
// is written out, so that both engines see the query implies it.
const nearbyQuery = `SELECT id, reference, status, lat, lon, address, description, created_at FROM reports
	WHERE tenant_id = ? AND category_id = ? AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?
	AND status IN ('new', 'acknowledged', 'in_progress') AND confirmed_at IS NOT NULL`
