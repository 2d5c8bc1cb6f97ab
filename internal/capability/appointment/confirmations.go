package appointment

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"guichet/internal/kernel/db"
)

// A booking's transaction writes its units and its row, nothing more: the
// row itself, flagged confirm_pending, says that its confirmation email is
// still to queue (for a guest's booking still pending, the email asking
// to confirm it). Shortly after, one transaction queues the confirmations
// of all the bookings made meanwhile. In a rush, the database's single
// writer (on SQLite) is then held by each booking for half as long. A
// periodic sweep queues what a stopped process left flagged.

// confirmGather is how long the first booking's confirmation waits for
// others to join its batch.
const confirmGather = 200 * time.Millisecond

// confirmBatch bounds the confirmations queued per transaction.
const confirmBatch = 500

// ConfirmSweepEvery is how often every process's leftovers are queued.
const ConfirmSweepEvery = time.Minute

type confirmations struct {
	mu      sync.Mutex
	running bool // a goroutine is queueing
	again   bool // a booking came since it started
	closed  bool
	closing chan struct{} // closed by Close: queue at once, then stop
	done    sync.WaitGroup
}

// confirmSoon has the bookings flagged so far confirmed in a moment.
func (s *Store) confirmSoon() {
	c := &s.confirm
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed: // the next start's sweep queues them
	case c.running:
		c.again = true
	default:
		if c.closing == nil {
			c.closing = make(chan struct{})
		}
		c.running = true
		c.done.Add(1)
		go s.queueGathered(c.closing)
	}
}

// queueGathered queues the flagged confirmations after the gathering
// time, again while bookings keep coming.
func (s *Store) queueGathered(closing <-chan struct{}) {
	c := &s.confirm
	defer c.done.Done()
	for {
		select {
		case <-time.After(confirmGather):
		case <-closing:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		if err := s.QueueConfirmations(ctx); err != nil {
			slog.Warn("appointment: queue confirmations; the periodic sweep will retry", "err", err)
		}
		cancel()
		c.mu.Lock()
		if !c.again || c.closed {
			c.running = false
			c.mu.Unlock()
			return
		}
		c.again = false
		c.mu.Unlock()
	}
}

// Close queues the confirmations still gathering and stops; call it
// before closing the database.
func (s *Store) Close() error {
	c := &s.confirm
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		if c.closing != nil {
			close(c.closing)
		}
	}
	c.mu.Unlock()
	c.done.Wait()
	return nil
}

// QueueConfirmations queues the confirmation email of every booking still
// flagged, a batch per transaction. Like the job queue itself, it works
// across collectivités: each job carries its booking's tenant.
func (s *Store) QueueConfirmations(ctx context.Context) error {
	lock := ""
	if s.db.Dialect() == db.Postgres {
		lock = " FOR UPDATE SKIP LOCKED" // two processes never queue the same one
	}
	for {
		n := 0
		err := s.db.InTx(ctx, func(tx *db.Tx) error {
			var (
				args []river.JobArgs
				ids  []any
			)
			err := db.Each(ctx, tx, `SELECT tenant_id, id, status FROM appointment_bookings WHERE confirm_pending
				ORDER BY created_at LIMIT ?`+lock, func(row db.Row) error {
				var a notifyArgs
				var status string
				if err := row.Scan(&a.TenantID, &a.BookingID, &status); err != nil {
					return err
				}
				a.Event = EventConfirmed
				if status == StatusPending {
					a.Event = EventHold // a guest's: the link to confirm it first
				}
				args, ids = append(args, a), append(ids, a.BookingID)
				return nil
			}, confirmBatch)
			if err != nil || len(ids) == 0 {
				return err
			}
			if err := s.jobs.InsertManyTx(ctx, tx, args); err != nil {
				return err
			}
			marks := strings.Repeat(", ?", len(ids))[2:]
			if _, err := tx.Exec(ctx, `UPDATE appointment_bookings SET confirm_pending = FALSE WHERE id IN (`+marks+`)`, ids...); err != nil {
				return err
			}
			n = len(ids)
			return nil
		})
		if err != nil {
			return fmt.Errorf("appointment: queue confirmations: %w", err)
		}
		if n < confirmBatch {
			return nil
		}
	}
}
