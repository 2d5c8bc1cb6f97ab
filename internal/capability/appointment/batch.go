package appointment

import (
	"context"
	"fmt"
	"sync"

	"guichet/internal/kernel/db"
)

// On SQLite one connection writes, and a rush's bookings queued for it one
// transaction each: every one paid its own begin and commit, and the
// connection stood idle while the next waiting request was being scheduled
// among the thousands serving pages (in a rush of 2,000 residents the 200
// bookings took 4 s on a loaded machine, 80 waiting at a time). Bookings
// waiting together now commit in one transaction, each in a savepoint of
// its own, so that one refused leaves the others as they were. The first
// to arrive leads: it runs the waiting ones in batches, and once its own
// is done hands the lead to the next waiting.
//
// Not on PostgreSQL: its transactions proceed side by side, and a batch
// holding several resources' units could deadlock with another process's.

// maxBatch bounds the bookings of one transaction, and so how long it
// holds the writer.
const maxBatch = 64

type commits struct {
	mu      sync.Mutex
	pending []*commitJob
	leading bool
}

type commitJob struct {
	ctx  context.Context
	fn   func(ctx context.Context, tx *db.Tx) error
	err  error
	done bool          // err is its outcome
	wake chan struct{} // done, or handed the lead
}

// inBookingTx runs fn in a transaction: its own on PostgreSQL; on SQLite
// one shared with the bookings waiting at the same time, fn's writes
// undone alone if it fails. fn runs to the end even if ctx is cancelled
// meanwhile (an interrupted write would roll the whole batch back).
func (s *Store) inBookingTx(ctx context.Context, fn func(ctx context.Context, tx *db.Tx) error) error {
	if s.db.Dialect() != db.SQLite {
		return s.db.InTx(ctx, func(tx *db.Tx) error { return fn(ctx, tx) })
	}
	c := &s.commits
	j := &commitJob{ctx: ctx, fn: fn, wake: make(chan struct{}, 1)}
	c.mu.Lock()
	c.pending = append(c.pending, j)
	lead := !c.leading
	c.leading = true
	c.mu.Unlock()
	if !lead {
		<-j.wake
		if j.done {
			return j.err
		}
	}
	for {
		c.mu.Lock()
		n := min(len(c.pending), maxBatch)
		batch := append([]*commitJob(nil), c.pending[:n]...)
		c.pending = append(c.pending[:0], c.pending[n:]...)
		c.mu.Unlock()
		s.commitBatch(batch, j)
		if !j.done {
			continue // more than a batch was waiting before it
		}
		c.mu.Lock()
		if len(c.pending) == 0 {
			c.leading = false
			c.mu.Unlock()
			return j.err
		}
		next := c.pending[0]
		c.mu.Unlock()
		next.wake <- struct{}{} // not done: it leads now
		return j.err
	}
}

// commitBatch runs the jobs in one transaction, each in a savepoint, and
// wakes each with its outcome (but self, which its caller runs).
func (s *Store) commitBatch(batch []*commitJob, self *commitJob) {
	defer func() {
		for _, j := range batch {
			j.done = true
			if j != self {
				j.wake <- struct{}{}
			}
		}
	}()
	// The batch serves several requests: none of them may stop it.
	ctx := context.WithoutCancel(batch[0].ctx)
	tx, err := s.db.Begin(ctx)
	if err != nil {
		for _, j := range batch {
			j.err = err
		}
		return
	}
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.err = err // its request is gone: not booked
			continue
		}
		sp := fmt.Sprintf("booking%d", i)
		if _, err := tx.Exec(ctx, "SAVEPOINT "+sp); err != nil {
			s.failBatch(tx, batch, err)
			return
		}
		if j.err = j.fn(context.WithoutCancel(j.ctx), tx); j.err != nil {
			if _, err := tx.Exec(ctx, "ROLLBACK TO "+sp); err != nil {
				s.failBatch(tx, batch, err)
				return
			}
		}
		if _, err := tx.Exec(ctx, "RELEASE "+sp); err != nil {
			s.failBatch(tx, batch, err)
			return
		}
	}
	if err := tx.Commit(); err != nil {
		for _, j := range batch {
			if j.err == nil {
				j.err = err
			}
		}
	}
}

// failBatch rolls back a transaction that can no longer be trusted: every
// job of it fails, those that had succeeded included.
func (s *Store) failBatch(tx *db.Tx, batch []*commitJob, err error) {
	_ = tx.Rollback()
	for _, j := range batch {
		if j.err == nil {
			j.err = fmt.Errorf("appointment: booking batch: %w", err)
		}
	}
}
