package fediverse

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/jobs"
)

// Links gives a collectivité's canonical address and time zone.
type Links = kernel.Links

func newID() string { return uuid.NewString() }

// DeliverArgs is one activity for one inbox: a job of the queue, retried
// with a growing delay while the inbox is down.
type DeliverArgs struct {
	TenantID string `json:"tenant_id"`
	Inbox    string `json:"inbox"`
	Activity string `json:"activity"`
}

// Kind implements river.JobArgs.
func (DeliverArgs) Kind() string { return "fediverse_deliver" }

// deliveryAttempts is how many times a delivery is tried: over about four
// days with retryDelays.
const deliveryAttempts = 10

// retryDelays are the waits after each failure, then the last repeated.
var retryDelays = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour}

// RetryDelay is the wait after the n-th failed delivery (n ≥ 1).
func RetryDelay(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	return retryDelays[min(n, len(retryDelays))-1]
}

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	s *Store
}

// Work delivers the activity.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	return w.s.Deliver(ctx, job.Args)
}

// NextRetry implements river.Worker: the fediverse's own delays, on the
// injected clock.
func (w *deliverWorker) NextRetry(job *river.Job[DeliverArgs]) time.Time {
	return w.s.now().Add(RetryDelay(len(job.Errors) + 1))
}

// UseQueue registers the delivery worker on q, which delivers from now on.
func (s *Store) UseQueue(q *jobs.Queue) error {
	s.Queue = q
	return jobs.AddWorker(q, &deliverWorker{s: s})
}

// Outgoing decides whether anything is delivered at all: off for a demo
// without a public address. Deliverable then refuses reserved names.
func (s *Store) deliverable(inbox string) bool {
	if !s.Outgoing {
		return false
	}
	u, err := url.Parse(inbox)
	return err == nil && u.Host != "" && !reservedHost(u.Host)
}

// queueDelivery adds the delivery of activity to each inbox in tx.
func (s *Store) queueDelivery(ctx context.Context, tx *db.Tx, tenantID string, activity map[string]any, inboxes []string) (int, error) {
	body, err := json.Marshal(activity)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, inbox := range inboxes {
		if !s.deliverable(inbox) {
			continue
		}
		if s.Queue == nil {
			return n, errors.New("fediverse: no job queue")
		}
		if _, err := s.Queue.InsertTx(ctx, tx, DeliverArgs{TenantID: tenantID, Inbox: inbox, Activity: string(body)},
			&river.InsertOpts{MaxAttempts: deliveryAttempts}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Deliver posts one activity to one inbox, signed with the
// collectivité's key. An inbox gone for good (410) loses its followers
// and the job ends; another refusal (4xx but 408 and 429) ends it too;
// anything else is an error the queue retries.
func (s *Store) Deliver(ctx context.Context, a DeliverArgs) error {
	if !s.deliverable(a.Inbox) {
		return nil
	}
	actor, err := s.loadActor(ctx, a.TenantID)
	if err != nil {
		return fmt.Errorf("fediverse: deliver: %w", err)
	}
	base, _, err := s.Site(ctx, a.TenantID)
	if err != nil {
		return err
	}
	err = s.Client.Post(ctx, a.Inbox, []byte(a.Activity), KeyID(base), actor.private, s.now())
	var st *StatusError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &st) && st.Gone():
		_, err := s.removeInbox(ctx, a.TenantID, a.Inbox)
		return err
	case errors.As(err, &st) && st.Status >= 400 && st.Status < 500 &&
		st.Status != http.StatusRequestTimeout && st.Status != http.StatusTooManyRequests:
		return river.JobCancel(err)
	case errors.Is(err, ErrRefusedAddress):
		return river.JobCancel(err)
	}
	return err
}
