package appointment

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// TestBatchKeepsEachBookingApart: in one batch, a booking that fails
// after writing leaves no row and the others' rows commit; each gets its
// own outcome; a booking whose request is gone is not run.
func TestBatchKeepsEachBookingApart(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, nil, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, `CREATE TABLE batch_probe (id TEXT PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		s := NewStore(d, "un-secret-de-test-assez-long-pour-hmac")
		insert := func(ids ...string) func(context.Context, *db.Tx) error {
			return func(ctx context.Context, tx *db.Tx) error {
				for _, id := range ids {
					if _, err := tx.Exec(ctx, `INSERT INTO batch_probe (id) VALUES (?)`, id); err != nil {
						return err
					}
				}
				return nil
			}
		}
		refused := errors.New("refused")
		gone, cancel := context.WithCancel(ctx)
		cancel()
		jobs := []*commitJob{
			{ctx: ctx, fn: insert("a")},
			{ctx: ctx, fn: insert("b", "a")}, // b, then a unique violation
			{ctx: ctx, fn: func(ctx context.Context, tx *db.Tx) error { _ = insert("c")(ctx, tx); return refused }},
			{ctx: gone, fn: insert("d")},
			{ctx: ctx, fn: insert("e")},
		}
		for _, j := range jobs {
			j.wake = make(chan struct{}, 1)
		}
		s.commitBatch(jobs, nil)
		if jobs[0].err != nil || jobs[4].err != nil || !db.IsUniqueViolation(jobs[1].err) ||
			!errors.Is(jobs[2].err, refused) || !errors.Is(jobs[3].err, context.Canceled) {
			t.Fatalf("outcomes %v, %v, %v, %v, %v", jobs[0].err, jobs[1].err, jobs[2].err, jobs[3].err, jobs[4].err)
		}
		for _, j := range jobs {
			if !j.done || len(j.wake) != 1 {
				t.Fatal("a job was not told its outcome")
			}
		}
		if got := probeRows(t, d); got != "a,e" {
			t.Fatalf("rows %s, want a,e: the failed and the abandoned bookings' writes undone, the others kept", got)
		}
	})
}

// TestBookingsWaitingTogetherShareATransaction: on SQLite, bookings that
// wait while another holds the writer commit together once it is done,
// every one of them, whichever leads; on PostgreSQL each has its own.
func TestBookingsWaitingTogetherShareATransaction(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, nil, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, `CREATE TABLE batch_probe (id TEXT PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		s := NewStore(d, "un-secret-de-test-assez-long-pour-hmac")
		const waiting = 150 // more than a batch: the lead passes on
		release, started := make(chan struct{}), make(chan struct{})
		var mu sync.Mutex
		txs := map[*db.Tx]int{}
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.inBookingTx(ctx, func(ctx context.Context, tx *db.Tx) error {
				close(started)
				<-release // holds the writer while the others queue
				_, err := tx.Exec(ctx, `INSERT INTO batch_probe (id) VALUES ('first')`)
				return err
			})
			if err != nil {
				t.Error(err)
			}
		}()
		<-started
		for i := range waiting {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := s.inBookingTx(ctx, func(ctx context.Context, tx *db.Tx) error {
					mu.Lock()
					txs[tx]++
					mu.Unlock()
					_, err := tx.Exec(ctx, `INSERT INTO batch_probe (id) VALUES (?)`, fmt.Sprintf("w%03d", i))
					return err
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		if d.Dialect() == db.SQLite {
			s.waitPending(waiting)
		}
		close(release)
		wg.Wait()
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM batch_probe`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != waiting+1 {
			t.Fatalf("%d rows, want %d", n, waiting+1)
		}
		want := (waiting + maxBatch - 1) / maxBatch
		if d.Dialect() != db.SQLite {
			want = waiting
		}
		if len(txs) != want {
			t.Errorf("%d bookings waiting ran in %d transactions, want %d", waiting, len(txs), want)
		}
	})
}

// waitPending waits until n jobs wait for the writer.
func (s *Store) waitPending(n int) {
	for {
		s.commits.mu.Lock()
		k := len(s.commits.pending)
		s.commits.mu.Unlock()
		if k >= n {
			return
		}
		runtime.Gosched()
	}
}

func probeRows(t *testing.T, d *db.DB) string {
	t.Helper()
	rows, err := d.Query(context.Background(), `SELECT id FROM batch_probe ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := ""
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		if out != "" {
			out += ","
		}
		out += id
	}
	return out
}
