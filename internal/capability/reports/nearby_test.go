package reports_test

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"guichet"
	"guichet/internal/capability/reports"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// TestNearby: the open, confirmed reports of the category within the
// radius, nearest first, with their distance; no others.
func TestNearby(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		other := e.category(e.town, "eclairage-panne", "technique", "")
		far := e.confirmed(e.town, draft(c, 180, "a@exemple.fr"))
		near := e.confirmed(e.town, draft(c, 40, "b@exemple.fr"))
		middle := e.confirmed(e.town, draft(c, -90, "c@exemple.fr"))
		e.confirmed(e.town, draft(c, 260, "d@exemple.fr"))    // outside
		e.confirmed(e.town, draft(other, 10, "e@exemple.fr")) // another category
		fixed := e.confirmed(e.town, draft(c, 20, "f@exemple.fr"))
		e.change(e.town, fixed.ID, reports.Fixed, "")
		e.submit(e.town, draft(c, 5, "g@exemple.fr")) // unconfirmed
		east := e.confirmed(e.town, draft(c, 0, "h@exemple.fr"))
		lat, lon := centreLat, centreLon+150/(metresPerDegree*math.Cos(centreLat*math.Pi/180))
		if _, err := e.d.Exec(e.ctx, `UPDATE reports SET lat = ?, lon = ? WHERE id = ?`, lat, lon, east.ID); err != nil {
			t.Fatal(err)
		}
		vc := e.category(e.vill, "voirie-nid-de-poule", "", "")
		elsewhere := e.confirmed(e.vill, draft(vc, 0, "i@exemple.fr"))
		if _, err := e.d.Exec(e.ctx, `UPDATE reports SET category_id = ? WHERE id = ?`, c.ID, elsewhere.ID); err != nil {
			t.Fatal(err)
		}
		got, err := e.s.Nearby(e.ctx, e.town, c.ID, centreLat, centreLon, 200, 10)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			id     string
			metres float64
		}{{near.ID, 40}, {middle.ID, 90}, {east.ID, 150}, {far.ID, 180}}
		if len(got) != len(want) {
			t.Fatalf("nearby: %+v", got)
		}
		for i, w := range want {
			if got[i].ID != w.id || math.Abs(got[i].Distance-w.metres) > 0.5 {
				t.Errorf("nearby %d: %s at %.1f m, want %s at %.0f m", i, got[i].ID, got[i].Distance, w.id, w.metres)
			}
		}
		if got[0].Reference != near.Reference || got[0].Status != reports.New || got[0].Path() != near.Path() {
			t.Errorf("nearest: %+v", got[0])
		}
		if two, _ := e.s.Nearby(e.ctx, e.town, c.ID, centreLat, centreLon, 200, 2); len(two) != 2 || two[1].ID != middle.ID {
			t.Errorf("the two nearest: %+v", two)
		}
		for _, bad := range []struct{ lat, lon, radius float64 }{{0, 0, 100}, {centreLat, centreLon, 0}, {centreLat, centreLon, 5001},
			{centreLat, centreLon, math.NaN()}} {
			if _, err := e.s.Nearby(e.ctx, e.town, c.ID, bad.lat, bad.lon, bad.radius, 10); code(err) != guichet.EInvalid {
				t.Errorf("nearby %v: %v", bad, err)
			}
		}
	})
}

// TestNearbyReadsItsIndex: SQLite answers the lookup from the partial
// index of open reports, by category and latitude.
func TestNearbyReadsItsIndex(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t, "sqlite:"+filepath.Join(t.TempDir(), "plan.db"), sets)
	var plan []string
	err := db.Each(t.Context(), d, `EXPLAIN QUERY PLAN `+reports.NearbyQuery, func(r db.Row) error {
		var id, parent, unused int
		var detail string
		err := r.Scan(&id, &parent, &unused, &detail)
		plan = append(plan, detail)
		return err
	}, "t", "c", 46.5, 46.6, 0.3, 0.4)
	if err != nil || len(plan) != 1 || !strings.Contains(plan[0], "USING INDEX reports_nearby (tenant_id=? AND category_id=? AND lat>? AND lat<?)") {
		t.Errorf("plan %q, %v", plan, err)
	}
}
