package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"guichet/internal/kernel/db"
)

// InsertTx adds a job in tx, the transaction the caller writes its rows
// in: the job becomes visible to workers when tx commits, and never exists
// if it rolls back. It returns the job's id.
func (q *Queue) InsertTx(ctx context.Context, tx *db.Tx, args river.JobArgs, opts *river.InsertOpts) (int64, error) {
	res, err := q.river.InsertTx(ctx, tx.SQL(), args, opts)
	if err != nil {
		return 0, fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
	}
	return res.Job.ID, nil
}

// InsertManyTx adds jobs in tx in one statement; they become visible to
// workers when tx commits.
func (q *Queue) InsertManyTx(ctx context.Context, tx *db.Tx, args []river.JobArgs) error {
	if len(args) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(args))
	for i, a := range args {
		params[i] = river.InsertManyParams{Args: a}
	}
	if _, err := q.river.InsertManyFastTx(ctx, tx.SQL(), params); err != nil {
		return fmt.Errorf("jobs: insert %d %s: %w", len(args), args[0].Kind(), err)
	}
	return nil
}

// InsertParamsTx adds jobs with their options in tx (a restore puts back
// the jobs a collectivité still had to run, each at its time).
func (q *Queue) InsertParamsTx(ctx context.Context, tx *db.Tx, params []river.InsertManyParams) error {
	if len(params) == 0 {
		return nil
	}
	if _, err := q.river.InsertManyTx(ctx, tx.SQL(), params); err != nil {
		return fmt.Errorf("jobs: insert %d jobs: %w", len(params), err)
	}
	return nil
}
