package staff_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"guichet/internal/identity/staff"
)

// clockAt makes the fixture's store read its time from *now.
func (f *fixture) clockAt(now *time.Time) { f.staff.Now = func() time.Time { return *now } }

func (f *fixture) prune(t *testing.T) int {
	t.Helper()
	n, err := f.staff.PruneAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// An entry is kept exactly one year and removed the microsecond after;
// the chain still verifies from the signed anchor, and new entries follow.
func TestAuditRetentionAtTheBoundary(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		day0 := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
		now := day0
		f.clockAt(&now)
		for i := range 5 {
			now = day0.AddDate(0, 0, i)
			f.chainOf(t, f.a.ID, 1)
		}
		now = day0.AddDate(1, 0, 1).Add(-time.Microsecond) // the second entry is a year old less a microsecond
		if n := f.prune(t); n != 1 {
			t.Fatalf("pruned %d entries, want only the first one", n)
		}
		now = day0.AddDate(1, 0, 2) // the third entry is exactly a year old: kept
		if n := f.prune(t); n != 1 {
			t.Fatalf("pruned %d entries, want the second one only", n)
		}
		if st := f.verify(t, f.a.ID); !st.Intact() || st.First != 3 || st.Entries != 3 {
			t.Fatalf("after pruning: %+v", st)
		}
		if n := f.prune(t); n != 0 {
			t.Fatalf("a second run pruned %d entries", n)
		}
		now = now.Add(time.Microsecond)
		if n := f.prune(t); n != 1 {
			t.Fatalf("a microsecond later, pruned %d entries, want 1", n)
		}
		f.chainOf(t, f.a.ID, 1)
		if st := f.verify(t, f.a.ID); !st.Intact() || st.First != 4 || st.Last != 6 {
			t.Fatalf("new entry after pruning: %+v", st)
		}

		f.exec(t, `UPDATE audit_heads SET anchor_seq = 2 WHERE tenant_id = ?`, f.a.ID)
		wantBreak(t, f.verify(t, f.a.ID), 2, staff.BreakAnchor)
	})
}

// When every entry is old, the last one becomes the anchor and the empty
// chain verifies; a chain broken in the part to remove keeps everything.
func TestAuditRetentionWholeChainAndBrokenChain(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		now := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
		f.clockAt(&now)
		f.chainOf(t, f.a.ID, 3)
		f.chainOf(t, f.b.ID, 3)
		f.exec(t, `UPDATE audit_log SET target = 'modifié' WHERE tenant_id = ? AND seq = 2`, f.b.ID)

		now = now.AddDate(2, 0, 0)
		n, err := f.staff.PruneAudit(context.Background())
		if n != 3 || err == nil || !strings.Contains(err.Error(), "broken at entry 2") {
			t.Fatalf("pruned %d, error %v: want alpha's 3 entries pruned and beta's chain refused", n, err)
		}
		if st := f.verify(t, f.a.ID); !st.Intact() || st.Entries != 0 || st.Last != 3 {
			t.Fatalf("empty chain: %+v", st)
		}
		if es := f.entries(t, f.b.ID); len(es) != 3 {
			t.Fatalf("the broken chain lost entries: %d left", len(es))
		}
		wantBreak(t, f.verify(t, f.b.ID), 2, staff.BreakChanged)
		f.chainOf(t, f.a.ID, 1)
		if st := f.verify(t, f.a.ID); !st.Intact() || st.First != 4 || st.Entries != 1 {
			t.Fatalf("after a whole prune: %+v", st)
		}
	})
}
