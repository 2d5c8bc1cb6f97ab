package appointment_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// TestConfirmationsAreQueuedOnceEach books, then queues the flagged
// confirmations from two sweeps at once and from the booking's own batch:
// every booking gets exactly one confirmation job, and no flag remains.
func TestConfirmationsAreQueuedOnceEach(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		var ids []string
		for i, hhmm := range []string{"09:00", "09:20", "09:40", "10:00", "10:20"} {
			b, err := e.s.Book(ctx, e.request("passeport", hhmm, i))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, b.ID)
		}
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				if err := e.s.QueueConfirmations(ctx); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		time.Sleep(400 * time.Millisecond) // the booking's own batch, after its gathering time
		for _, id := range ids {
			if n := confirmationJobs(t, d, id); n != 1 {
				t.Errorf("booking %s: %d confirmation jobs, want 1", id, n)
			}
		}
		var pending int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_bookings WHERE confirm_pending`).Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if pending != 0 {
			t.Errorf("%d bookings still flagged", pending)
		}
	})
}

// TestConfirmationsLeftFlaggedAreSwept: a booking flagged by a process
// that stopped before queueing its confirmation gets it from the sweep.
func TestConfirmationsLeftFlaggedAreSwept(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		b, err := e.s.Book(ctx, e.request("passeport", "09:00", 1))
		if err != nil {
			t.Fatal(err)
		}
		// The booking's own batch queues it after its gathering time; under
		// load that can take a while.
		for deadline := time.Now().Add(10 * time.Second); confirmationJobs(t, d, b.ID) == 0; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the booking's confirmation was never queued")
			}
		}
		// As if the process had stopped before queueing it:
		if _, err := d.Exec(ctx, `DELETE FROM river_job WHERE kind = 'appointment_notify'`); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, `UPDATE appointment_bookings SET confirm_pending = TRUE WHERE id = ?`, b.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.s.QueueConfirmations(ctx); err != nil {
			t.Fatal(err)
		}
		if n := confirmationJobs(t, d, b.ID); n != 1 {
			t.Errorf("%d confirmation jobs after the sweep, want 1", n)
		}
	})
}

// confirmationJobs counts the jobs queued to confirm booking id.
func confirmationJobs(t *testing.T, d *db.DB, id string) int {
	t.Helper()
	return notifyJobs(t, d, id, "confirmed")
}

// notifyJobs counts the jobs queued to email event about booking id.
func notifyJobs(t *testing.T, d *db.DB, id, event string) int {
	t.Helper()
	args := "json(args)" // River keeps SQLite's binary JSON
	if d.Dialect() == db.Postgres {
		args = "args::text"
	}
	var n int
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM river_job WHERE kind = 'appointment_notify'
		AND `+args+` LIKE ? AND `+args+` LIKE ?`, `%"`+id+`"%`, `%"`+event+`"%`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
