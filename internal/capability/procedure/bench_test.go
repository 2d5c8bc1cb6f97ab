package procedure_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"guichet/internal/capability/procedure"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// BenchmarkInbox pages through the agent inbox of one procedure holding
// GUICHET_BENCH_CASES cases (100,000 by default):
//
//	go test -run '^$' -bench Inbox -benchtime 200x ./internal/capability/procedure/
func BenchmarkInbox(b *testing.B) {
	n := 100000
	if v, err := strconv.Atoi(os.Getenv("GUICHET_BENCH_CASES")); err == nil && v > 0 {
		n = v
	}
	for name, url := range dbtest.URLs(b) {
		d, err := db.Open(context.Background(), url)
		if err != nil {
			b.Fatal(err)
		}
		if err := d.Migrate(context.Background(), migrations()); err != nil {
			b.Fatal(err)
		}
		f := setup(b, d)
		p := f.procedure(b, schoolForm, procedure.SilenceNone)
		if err := f.s.Generate(context.Background(), p, n, nil); err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		first, cur, err := f.s.Inbox(ctx, f.town.ID, procedure.InboxFilter{})
		if err != nil || cur == nil || len(first) == 0 {
			b.Fatal("empty inbox", err)
		}
		deep := cur
		for i := 0; i < 100; i++ { // 100 pages in
			_, deep, _ = f.s.Inbox(ctx, f.town.ID, procedure.InboxFilter{After: deep})
		}
		cases := []struct {
			name string
			f    procedure.InboxFilter
		}{
			{"first-page", procedure.InboxFilter{}},
			{"page-101", procedure.InboxFilter{After: deep}},
			{"state", procedure.InboxFilter{State: procedure.Waiting}},
			{"overdue", procedure.InboxFilter{Overdue: true}},
			{"reference", procedure.InboxFilter{Query: first[10].Reference}},
			{"name", procedure.InboxFilter{Query: "girard"}},
		}
		for _, c := range cases {
			b.Run(string(name)+"/"+c.name, func(b *testing.B) {
				for b.Loop() {
					if _, _, err := f.s.Inbox(ctx, f.town.ID, c.f); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		d.Close()
	}
}
