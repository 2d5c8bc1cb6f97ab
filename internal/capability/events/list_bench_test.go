package events_test

import (
	"context"
	"path/filepath"
	"testing"

	"guichet/internal/capability/events"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tenant"
	"guichet/internal/publishing/search"
)

// BenchmarkListDates reads the agenda's first page (15 dates and the
// next one) from 90 events, a fifth of them repeating, on SQLite.
func BenchmarkListDates(b *testing.B) {
	ctx := context.Background()
	d, err := db.Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx, []db.Migrations{tenant.Migrations, search.Migrations, events.Migrations}); err != nil {
		b.Fatal(err)
	}
	s, tn, _, now := agendaFixture(b, d)
	b.ReportAllocs()
	for b.Loop() {
		if list, _, err := s.List(ctx, tn.ID, events.Filter{From: now, Limit: 15}); err != nil || len(list) != 15 {
			b.Fatalf("%d dates, %v", len(list), err)
		}
	}
}
