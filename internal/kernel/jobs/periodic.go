package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// periodicArgs names the periodic function a job runs.
type periodicArgs struct {
	Name string `json:"name"`
}

// Kind implements river.JobArgs.
func (periodicArgs) Kind() string { return "periodic" }

// periodicWorker runs the function registered under the job's name.
type periodicWorker struct {
	river.WorkerDefaults[periodicArgs]
	q *Queue
}

// Work implements river.Worker.
func (w *periodicWorker) Work(ctx context.Context, job *river.Job[periodicArgs]) error {
	w.q.periodicMu.Lock()
	fn := w.q.periodic[job.Args.Name]
	w.q.periodicMu.Unlock()
	if fn == nil {
		// Registered by an older version of the program: nothing to do.
		return river.JobCancel(fmt.Errorf("no periodic job named %q", job.Args.Name))
	}
	return fn(ctx)
}

// Periodic runs fn every interval, and once soon after Start. Only one
// process (River's elected leader) schedules it, and a run is skipped while
// the previous one is still queued or running.
func (q *Queue) Periodic(name string, every time.Duration, fn func(ctx context.Context) error) error {
	q.periodicMu.Lock()
	defer q.periodicMu.Unlock()
	if _, dup := q.periodic[name]; dup {
		return fmt.Errorf("jobs: periodic job %q registered twice", name)
	}
	q.periodic[name] = fn
	job := river.NewPeriodicJob(river.PeriodicInterval(every), func() (river.JobArgs, *river.InsertOpts) {
		return periodicArgs{Name: name}, &river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{
			ByArgs: true,
			// Completed runs are left out so that the next period may insert.
			ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
				rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled},
		}}
	}, &river.PeriodicJobOpts{ID: name, RunOnStart: true})
	if _, err := q.river.PeriodicJobs().AddSafely(job); err != nil {
		return fmt.Errorf("jobs: periodic job %q: %w", name, err)
	}
	return nil
}
