package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/identity/staff"
)

// The nightly job removes what is older than a year, keeps a chain that
// no longer verifies whole, and leaves every chain's checked outcome for
// the journal.
func TestAuditNightly(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		now := time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC)
		e.App.Staff.Now = func() time.Time { return now }
		for _, tn := range []string{e.Town.ID, e.Village.ID} {
			for range 3 {
				if err := e.App.Staff.RecordEntry(ctx, staff.Entry{TenantID: tn, Actor: "cli", Action: "test.nightly"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := e.App.DB.Exec(ctx, `UPDATE audit_log SET target = 'changé' WHERE tenant_id = ? AND seq = 2`, e.Village.ID); err != nil {
			t.Fatal(err)
		}
		now = now.AddDate(1, 0, 0).Add(time.Microsecond)
		if err := e.App.Staff.RecordEntry(ctx, staff.Entry{TenantID: e.Town.ID, Actor: "cli", Action: "test.nightly"}); err != nil {
			t.Fatal(err)
		}
		err := e.App.AuditNightly(ctx)
		if err == nil || !strings.Contains(err.Error(), "1 audit chains broken") {
			t.Fatalf("nightly run: %v, want the village's chain reported", err)
		}
		town, err := e.App.Staff.ChainReport(ctx, e.Town.ID)
		if err != nil || !town.Intact() || town.First != 4 || town.Entries != 1 || !town.CheckedAt.Equal(now) {
			t.Fatalf("town after the nightly run: %+v, %v", town, err)
		}
		village, err := e.App.Staff.ChainReport(ctx, e.Village.ID)
		if err != nil || village.Break == nil || village.Break.Seq != 2 || village.First != 1 {
			t.Fatalf("village after the nightly run: %+v, %v", village, err)
		}
	})
}
