package staff_test

import (
	"context"
	"testing"
	"time"

	"guichet/internal/identity/staff"
)

func (f *fixture) report(t *testing.T, tenantID string) staff.ChainStatus {
	t.Helper()
	st, err := f.staff.ChainReport(context.Background(), tenantID)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func (f *fixture) check(t *testing.T, tenantID string) staff.ChainStatus {
	t.Helper()
	st, err := f.staff.CheckChain(context.Background(), tenantID)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// The cheap report trusts the kept outcome of the last full verification,
// checks its signature, and verifies what was added since; a full check
// finds what changed before it, and the report then says so.
func TestAuditChainReport(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		now := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
		f.clockAt(&now)
		f.chainOf(t, f.a.ID, 4)
		st := f.report(t, f.a.ID) // nothing kept yet: a full verification
		if !st.Intact() || st.Entries != 4 || !st.CheckedAt.Equal(now) {
			t.Fatalf("first report: %+v", st)
		}
		checked := now
		now = now.Add(time.Hour)
		f.chainOf(t, f.a.ID, 2)
		if st = f.report(t, f.a.ID); !st.Intact() || st.Entries != 6 || st.Last != 6 || !st.CheckedAt.Equal(checked) {
			t.Fatalf("report after two more entries: %+v", st)
		}

		f.exec(t, `UPDATE audit_log SET target = 'changé' WHERE tenant_id = ? AND seq = 6`, f.a.ID)
		wantBreak(t, f.report(t, f.a.ID), 6, staff.BreakChanged) // added since the check: seen at once
		f.exec(t, `UPDATE audit_log SET target = 'changé' WHERE tenant_id = ? AND seq = 2`, f.a.ID)
		wantBreak(t, f.check(t, f.a.ID), 2, staff.BreakChanged)
		st = f.report(t, f.a.ID)
		wantBreak(t, st, 2, staff.BreakChanged)
		if st.Break.ID == "" || !st.CheckedAt.Equal(now) {
			t.Fatalf("kept break: %+v", st.Break)
		}

		f.exec(t, `UPDATE audit_heads SET checked_break = '', checked_break_seq = 0 WHERE tenant_id = ?`, f.a.ID)
		wantBreak(t, f.report(t, f.a.ID), 1, staff.BreakCheck)
	})
}

// Once pruning removed the entries a kept outcome vouched for, the report
// walks the chain again.
func TestAuditChainReportAfterPruning(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		now := time.Date(2025, 5, 4, 9, 0, 0, 0, time.UTC)
		f.clockAt(&now)
		f.chainOf(t, f.a.ID, 3)
		f.check(t, f.a.ID)
		f.chainOf(t, f.a.ID, 1)
		now = now.AddDate(1, 0, 1)
		f.chainOf(t, f.a.ID, 1)
		if n := f.prune(t); n != 4 {
			t.Fatalf("pruned %d entries, want 4", n)
		}
		f.chainOf(t, f.a.ID, 1)
		if st := f.report(t, f.a.ID); !st.Intact() || st.First != 5 || st.Entries != 2 || !st.CheckedAt.Equal(now) {
			t.Fatalf("report after pruning: %+v", st)
		}
	})
}
