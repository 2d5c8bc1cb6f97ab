package reports_test

import (
	"testing"
	"time"

	"guichet/internal/capability/reports"
)

func TestPercentile(t *testing.T) {
	t.Parallel()
	h := time.Hour
	for _, c := range []struct {
		in     []time.Duration
		p      float64
		want   time.Duration
		reason string
	}{
		{nil, 0.5, 0, "none"},
		{[]time.Duration{3 * h}, 0.9, 3 * h, "one"},
		{[]time.Duration{1 * h, 2 * h, 3 * h, 4 * h}, 0.5, 150 * time.Minute, "even count: between the middle two"},
		{[]time.Duration{1 * h, 2 * h, 3 * h, 4 * h, 10 * h}, 0.5, 3 * h, "odd count: the middle one"},
		{[]time.Duration{1 * h, 2 * h, 3 * h, 4 * h, 10 * h}, 0.9, 456 * time.Minute, "rank 3.6: 4 h + 0.6 × 6 h"},
		{[]time.Duration{1 * h, 2 * h, 3 * h, 4 * h, 10 * h}, 1, 10 * h, "the largest"},
	} {
		if got := reports.Percentile(c.in, c.p); got != c.want {
			t.Errorf("%s: %s, want %s", c.reason, got, c.want)
		}
	}
}

// TestFigures on known reports: per category, the reports confirmed in
// the period by status, those fixed, and the median and 90th percentile
// of their time to fix.
func TestFigures(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		start := e.clock()
		road := e.category(e.town, "voirie-nid-de-poule", "technique", "")
		light := e.category(e.town, "eclairage-panne", "technique", "")
		unused := e.category(e.town, "ancienne", "technique", "")
		if err := e.s.DeactivateCategory(e.ctx, e.town, unused.ID); err != nil {
			t.Fatal(err)
		}
		// Five roads fixed after 1, 2, 3, 4 and 10 hours, the last one
		// closed since; one road still open; one light in progress.
		var roads []*reports.Report
		for i := range 5 {
			roads = append(roads, e.confirmed(e.town, draft(road, float64(i), "a@exemple.fr")))
		}
		e.confirmed(e.town, draft(road, 9, "a@exemple.fr"))
		lit := e.confirmed(e.town, draft(light, 0, "b@exemple.fr"))
		e.change(e.town, lit.ID, reports.InProgress, "")
		for i, hours := range []int{1, 2, 3, 4, 10} {
			e.set(start.Add(time.Duration(hours) * time.Hour))
			e.change(e.town, roads[i].ID, reports.Fixed, "")
		}
		e.change(e.town, roads[4].ID, reports.Closed, "")
		// Outside the period: confirmed the next day.
		e.set(start.Add(24 * time.Hour))
		later := e.confirmed(e.town, draft(road, 0, "c@exemple.fr"))
		e.change(e.town, later.ID, reports.Fixed, "")

		got, err := e.s.Figures(e.ctx, e.town, start.Add(-time.Hour), start.Add(12*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("figures of %d categories: %+v", len(got), got)
		}
		byCat := map[string]reports.CategoryFigures{}
		for _, f := range got {
			byCat[f.Category.ID] = f
		}
		r, l := byCat[road.ID], byCat[light.ID]
		if r.Total != 6 || r.ByStatus[reports.Fixed] != 4 || r.ByStatus[reports.Closed] != 1 || r.ByStatus[reports.New] != 1 ||
			r.Fixed != 5 || r.MedianToFix != 3*time.Hour || r.P90ToFix != 456*time.Minute {
			t.Errorf("roads: %+v", r)
		}
		if l.Total != 1 || l.ByStatus[reports.InProgress] != 1 || l.Fixed != 0 || l.MedianToFix != 0 {
			t.Errorf("lights: %+v", l)
		}
		if _, err := e.s.Figures(e.ctx, e.town, start, start); err == nil {
			t.Error("an empty period")
		}
		if other, _ := e.s.Figures(e.ctx, e.vill, start.Add(-time.Hour), start.Add(12*time.Hour)); len(other) != 0 {
			t.Errorf("the village's figures: %+v", other)
		}
	})
}
