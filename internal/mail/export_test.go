package mail

import (
	"context"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// DeliverNow runs the delivery job of one message once, as the queue
// would (a first attempt of eight), and returns its error.
func (o *Outbox) DeliverNow(ctx context.Context, tenantID, id string) error {
	w := &deliverWorker{o: o}
	return w.Work(ctx, &river.Job[deliverArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 8},
		Args: deliverArgs{ID: id, TenantID: tenantID}})
}
