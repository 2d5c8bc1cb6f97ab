package photo

import "context"

// parallel is how many photos one process prepares at once. A phone's
// photo takes about 30 MB and 0.4 s of a core; a file made to cost the
// most the checks let through, up to 400 MB (decodeBudget to decode it,
// and a copy laid over white). Two bound that under 1 GB on a small
// server when several residents upload at once, while one slow photo does
// not hold up the next; the others wait their turn.
const parallel = 2

// slots holds a token for each photo being prepared.
var slots = make(chan struct{}, parallel)

// acquire takes a slot, waiting for one until ctx ends; a caller already
// gone gets its context's error even when a slot is free.
func acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// release gives back the slot acquire took.
func release() { <-slots }
