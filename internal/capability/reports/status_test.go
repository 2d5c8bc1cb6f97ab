package reports_test

import (
	"testing"
	"time"

	"guichet/internal/capability/reports"
)

// TestTransitions lists, for every pair of statuses, whether staff may
// move a report from one to the other.
func TestTransitions(t *testing.T) {
	t.Parallel()
	allowed := map[reports.Status][]reports.Status{
		reports.New:          {reports.Acknowledged, reports.InProgress, reports.Fixed, reports.Closed, reports.Duplicate},
		reports.Acknowledged: {reports.InProgress, reports.Fixed, reports.Closed, reports.Duplicate},
		reports.InProgress:   {reports.Fixed, reports.Closed, reports.Duplicate},
		reports.Fixed:        {reports.Closed},
		reports.Closed:       nil,
		reports.Duplicate:    nil,
	}
	for _, from := range reports.Statuses {
		for _, to := range reports.Statuses {
			want := false
			for _, a := range allowed[from] {
				want = want || a == to
			}
			if got := from.CanMoveTo(to); got != want {
				t.Errorf("%s → %s: %v, want %v", from, to, got, want)
			}
		}
	}
	if reports.Status("reopened").CanMoveTo(reports.New) || reports.Status("x").Valid() {
		t.Error("an unknown status moves or is valid")
	}
}

func TestStatusWords(t *testing.T) {
	t.Parallel()
	for st, want := range map[reports.Status][3]string{
		reports.New: {"nouveau", "open"}, reports.Acknowledged: {"pris en compte", "open"}, reports.InProgress: {"en cours", "open"},
		reports.Fixed: {"résolu", "closed"}, reports.Closed: {"clos", "closed"}, reports.Duplicate: {"doublon", "closed"},
	} {
		if st.Label() != want[0] || st.Open311Status() != want[1] || st.Open() != (want[1] == "open") {
			t.Errorf("%s: %q %q %v", st, st.Label(), st.Open311Status(), st.Open())
		}
	}
}

// TestReopenable: a fixed or closed report reopens within 30 days of its
// resolution, a duplicate or an open one never.
func TestReopenable(t *testing.T) {
	t.Parallel()
	resolved := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		st    reports.Status
		after time.Duration
		want  bool
	}{
		{reports.Fixed, time.Hour, true},
		{reports.Closed, 29 * 24 * time.Hour, true},
		{reports.Fixed, 30*24*time.Hour - time.Second, true},
		{reports.Fixed, 30 * 24 * time.Hour, false},
		{reports.Closed, 40 * 24 * time.Hour, false},
		{reports.Duplicate, time.Hour, false},
		{reports.InProgress, time.Hour, false},
		{reports.New, time.Hour, false},
	} {
		if got := reports.Reopenable(c.st, &resolved, resolved.Add(c.after)); got != c.want {
			t.Errorf("%s after %s: %v, want %v", c.st, c.after, got, c.want)
		}
	}
	if reports.Reopenable(reports.Fixed, nil, resolved) {
		t.Error("a report never resolved reopens")
	}
}
