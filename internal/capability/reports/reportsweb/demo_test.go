package reportsweb_test

import (
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/reports"
	"guichet/internal/capability/reports/reportsweb"
)

// TestDemoHasReportsInEveryStatus: the town's demo has its categories
// routed to the technical services, 36 confirmed reports in every status
// on its territory, which the agent of those services finds in his
// queue; the village has its categories and no report.
func TestDemoHasReportsInEveryStatus(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := t.Context()
		s := reportsweb.Of(e.App.Kernel).Store
		cats, err := s.ActiveCategories(ctx, e.Town.ID)
		if err != nil || len(cats) < 8 {
			t.Fatalf("town categories: %d, %v", len(cats), err)
		}
		for _, c := range cats {
			if c.Service != reportsweb.Service {
				t.Errorf("category %s goes to %q", c.Code, c.Service)
			}
		}
		counts, err := s.StatusCounts(ctx, e.Town.ID, reports.Scope{Services: []string{reportsweb.Service}})
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, st := range reports.Statuses {
			if counts[st] < 3 {
				t.Errorf("%d reports %s, want 3 at least", counts[st], st)
			}
			total += counts[st]
		}
		if total != 36 {
			t.Errorf("%d reports in the technical services' scope, want 36", total)
		}
		box, ok, err := e.App.Kernel.TerritoryBound(ctx, e.Town.ID)
		if err != nil || !ok {
			t.Fatalf("town territory: %v %v", ok, err)
		}
		pts, _, err := s.MapPoints(ctx, e.Town.ID, reports.Box{South: box.Min.Lat(), West: box.Min.Lon(), North: box.Max.Lat(),
			East: box.Max.Lon()}, "")
		if err != nil || len(pts) < 25 {
			t.Errorf("%d public reports on the town's territory, %v", len(pts), err)
		}
		village, err := s.ActiveCategories(ctx, e.Village.ID)
		if err != nil || len(village) != 2 {
			t.Errorf("village categories: %d, %v", len(village), err)
		}
		vc, err := s.StatusCounts(ctx, e.Village.ID, reports.Scope{All: true})
		if err != nil {
			t.Fatal(err)
		}
		for st, n := range vc {
			if n != 0 {
				t.Errorf("the village has %d reports %s, want none", n, st)
			}
		}
	}, apptest.WithDemoData())
}
