package backup

import (
	"archive/tar"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"guichet/internal/kernel/db"
)

// Job is a job still to run for a collectivité (a reminder, a mail),
// carried so that a moved collectivité keeps its appointments' reminders.
type Job struct {
	Kind        string          `json:"kind"`
	Args        json.RawMessage `json:"args"`
	ScheduledAt time.Time       `json:"scheduled_at"`
	MaxAttempts int             `json:"max_attempts"`
	Priority    int             `json:"priority"`
	Queue       string          `json:"queue"`
}

// pendingStates are the jobs not yet run; a running one belongs to a
// live process, which finishes it.
const pendingStates = `('available', 'scheduled', 'retryable')`

// tenantArg reads a job's collectivité from its arguments.
func tenantArg(q db.Querier) string {
	if q.Dialect() == db.Postgres {
		return `args->>'tenant_id'`
	}
	return `json_extract(args, '$.tenant_id')`
}

func pendingJobs(ctx context.Context, q db.Querier, ids []string) ([]Job, error) {
	cond, args := where(tenantArg(q), ids)
	argsText := "args"
	if q.Dialect() == db.SQLite {
		argsText = "json(args)" // River keeps them as SQLite's binary JSON
	}
	var out []Job
	err := db.Each(ctx, q, `SELECT kind, `+argsText+`, scheduled_at, max_attempts, priority, queue FROM river_job
		WHERE state IN `+pendingStates+` AND `+cond+` ORDER BY id`, func(r db.Row) error {
		var j Job
		var raw []byte
		if err := r.Scan(&j.Kind, &raw, &j.ScheduledAt, &j.MaxAttempts, &j.Priority, &j.Queue); err != nil {
			return err
		}
		j.Args = json.RawMessage(raw)
		j.ScheduledAt = j.ScheduledAt.UTC()
		out = append(out, j)
		return nil
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("backup: pending jobs: %w", err)
	}
	return out, nil
}

func writeJobs(tw *tar.Writer, jobs []Job) error {
	var b []byte
	for _, j := range jobs {
		line, err := json.Marshal(j)
		if err != nil {
			return err
		}
		b = append(append(b, line...), '\n')
	}
	if err := tw.WriteHeader(&tar.Header{Name: "jobs.jsonl", Mode: 0o600, Size: int64(len(b))}); err != nil {
		return err
	}
	_, err := tw.Write(b)
	return err
}

// rawArgs gives the job queue a job's arguments as they were stored.
type rawArgs struct {
	kind string
	raw  json.RawMessage
}

func (a rawArgs) Kind() string                 { return a.kind }
func (a rawArgs) MarshalJSON() ([]byte, error) { return a.raw, nil }

// insertParams are the queue's parameters to insert j again.
func (j Job) insertParams() river.InsertManyParams {
	return river.InsertManyParams{Args: rawArgs{kind: j.Kind, raw: j.Args}, InsertOpts: &river.InsertOpts{
		ScheduledAt: j.ScheduledAt, MaxAttempts: j.MaxAttempts, Priority: j.Priority, Queue: j.Queue}}
}
