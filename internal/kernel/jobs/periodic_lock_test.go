package jobs

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"
)

// TestPeriodicJobDoesNotWaitForStop: Stop holds the queue's lock while
// River waits for the running jobs, so a periodic job starting then must
// not take that lock, or Stop waits for it forever (seen as a test that
// hung at its queue's Stop).
func TestPeriodicJobDoesNotWaitForStop(t *testing.T) {
	ran := make(chan struct{}, 1)
	q := &Queue{periodic: map[string]func(context.Context) error{
		"balayage": func(context.Context) error { ran <- struct{}{}; return nil },
	}}
	w := &periodicWorker{q: q}
	q.mu.Lock() // as Stop holds it
	defer q.mu.Unlock()
	done := make(chan error, 1)
	go func() {
		done <- w.Work(context.Background(), &river.Job[periodicArgs]{Args: periodicArgs{Name: "balayage"}})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
		<-ran
	case <-time.After(5 * time.Second):
		t.Fatal("a periodic job waited for the lock Stop holds")
	}
}
