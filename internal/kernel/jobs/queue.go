// Package jobs is Guichet's durable job queue: River on SQLite or
// PostgreSQL, with periodic jobs and a retry schedule fit for email.
//
// Domains register workers before Start:
//
//	jobs.AddWorker(q, &myWorker{})           // a river.Worker[MyArgs]
//	q.Periodic("purge", time.Hour, purgeFn)  // a function run on a schedule
//	q.Insert(ctx, MyArgs{...})               // or q.InsertTx(ctx, tx, …) in a db.Tx
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
)

// Options tune the queue; the zero value suits production.
type Options struct {
	// PollInterval is how often idle workers look for new jobs (1 s by
	// default; tests shorten it).
	PollInterval time.Duration
	// MaxWorkers is how many jobs run at once (10 by default).
	MaxWorkers int
	// MaxAttempts caps how many times a failing job runs (8 by default).
	MaxAttempts int
	// RetryBase is the wait after the first failure; each later wait is
	// three times longer, up to RetryMax (30 s and 4 h by default).
	RetryBase, RetryMax time.Duration
	// Clock is the time jobs are scheduled and run by (the system's when nil).
	Clock clock.Clock
	// RescueAfter is how long a job may stay "running" before the queue
	// takes it for one whose process died and runs it again (RescueAfter
	// by default). It must exceed JobTimeout.
	RescueAfter time.Duration
}

// JobTimeout is how long a job may run before its context is cancelled;
// a mail delivery attempt gives up before it.
const JobTimeout = time.Minute

// RescueAfter is the default Options.RescueAfter: a few minutes, well
// above JobTimeout, so that a job cut short by a crash runs again soon
// instead of after River's default hour, and a live one is never rescued.
const RescueAfter = 5 * time.Minute

func (o Options) withDefaults() Options {
	if o.PollInterval <= 0 {
		o.PollInterval = time.Second
	}
	if o.MaxWorkers <= 0 {
		o.MaxWorkers = 10
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.RetryBase <= 0 {
		o.RetryBase = 30 * time.Second
	}
	if o.RetryMax <= 0 {
		o.RetryMax = 4 * time.Hour
	}
	if o.RescueAfter <= JobTimeout {
		o.RescueAfter = RescueAfter
	}
	return o
}

// Queue is the job queue of one database. Workers and periodic jobs are
// added before Start; jobs may be inserted at any time, even while the
// queue is stopped: they wait in the database.
type Queue struct {
	db      *db.DB
	log     *slog.Logger
	opts    Options
	workers *river.Workers
	// river works on database/sql on both engines, so that its jobs are
	// inserted in the very *sql.Tx of a db.Tx.
	river *river.Client[*sql.Tx]

	mu      sync.Mutex // running; held through Start and Stop
	running bool
	// periodicMu guards periodic apart from mu: a periodic job that starts
	// while Stop holds mu (and waits for running jobs) must not wait for it.
	periodicMu sync.Mutex
	periodic   map[string]func(context.Context) error
}

// New migrates River's tables on d and returns a stopped queue.
func New(ctx context.Context, d *db.DB, log *slog.Logger, opts Options) (*Queue, error) {
	opts = opts.withDefaults()
	q := &Queue{db: d, log: log, opts: opts, workers: river.NewWorkers(),
		periodic: map[string]func(context.Context) error{}}
	if err := river.AddWorkerSafely(q.workers, &periodicWorker{q: q}); err != nil {
		return nil, err
	}
	cooldown := min(100*time.Millisecond, opts.PollInterval)
	cfg := &river.Config{
		FetchCooldown:     cooldown,
		FetchPollInterval: opts.PollInterval,
		JobTimeout:        JobTimeout,
		// River's default is an hour: a mail job in flight at a crash
		// would wait that long.
		RescueStuckJobsAfter: opts.RescueAfter,
		Logger:               riverLogger(log),
		MaxAttempts:          opts.MaxAttempts,
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opts.MaxWorkers}},
		RetryPolicy:          &backoff{base: opts.RetryBase, max: opts.RetryMax, now: clock.Or(opts.Clock)},
		Workers:              q.workers,
	}
	if opts.Clock != nil {
		// River reads the time through this generator when it schedules,
		// fetches and rescues jobs, so that they follow the app's clock.
		cfg.Test.Time = riverClock(opts.Clock)
	}
	var drv riverdriver.Driver[*sql.Tx]
	switch d.Dialect() {
	case db.SQLite:
		// SQLite has no LISTEN/NOTIFY: River would emulate it by polling a
		// table every 50 ms through the single writer connection. Polling for
		// jobs alone is cheaper.
		cfg.PollOnly = true
		drv = riversqlite.New(d.SQL())
	case db.Postgres:
		cfg.Schema = d.Schema
		// Statements go through database/sql on the pgx pool; the pool
		// itself lends River a connection to LISTEN for new jobs.
		drv = riverdatabasesql.NewWithPgxListener(d.SQL(), d.Pool)
	default:
		return nil, fmt.Errorf("jobs: unsupported database %q", d.Dialect())
	}
	// Nodes started together take turns at the queue's own migrations.
	unlock, err := d.Lock(ctx, "guichet-migrate-jobs/"+d.Schema)
	if err != nil {
		return nil, err
	}
	err = migrate(ctx, drv, cfg.Schema, log)
	unlock()
	if err == nil {
		q.river, err = river.NewClient(drv, cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return q, nil
}

func migrate[TTx any](ctx context.Context, drv riverdriver.Driver[TTx], schema string, log *slog.Logger) error {
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Schema: schema, Logger: riverLogger(log)})
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	return nil
}

// Workers returns the bundle to register River workers on, before Start:
// river.AddWorker(q.Workers(), w). AddWorker below is the short form.
func (q *Queue) Workers() *river.Workers { return q.workers }

// AddWorker registers w for jobs of kind T.Kind(); call it before Start.
func AddWorker[T river.JobArgs](q *Queue, w river.Worker[T]) error {
	return river.AddWorkerSafely(q.workers, w)
}

// AddFunc registers a plain function as the worker of jobs of kind T.Kind().
func AddFunc[T river.JobArgs](q *Queue, fn func(context.Context, *river.Job[T]) error) error {
	return river.AddWorkerSafely(q.workers, river.WorkFunc(fn))
}

// Insert adds a job outside any transaction. On SQLite, never call it while
// holding a transaction of the same database: use InsertTx instead.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (int64, error) {
	res, err := q.river.Insert(ctx, args, opts)
	if err != nil {
		return 0, fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
	}
	return res.Job.ID, nil
}

// Start begins working jobs. Stopping is done by Stop only, so that the
// server can drain requests before the queue stops.
func (q *Queue) Start(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.running {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	if err := q.river.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	q.running = true
	q.log.Info("job queue started", "database", string(q.db.Dialect()), "poll", q.opts.PollInterval.String())
	return nil
}

// Stop waits for running jobs to finish; if ctx ends first, their contexts
// are cancelled and Stop waits a few more seconds for them to return. A job
// cut short is retried after a restart, so no work is lost.
func (q *Queue) Stop(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.running {
		return nil
	}
	err := q.river.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		hardCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = errors.Join(err, q.river.StopAndCancel(hardCtx))
	}
	q.running = false
	q.log.Info("job queue stopped")
	if err != nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}

// Running reports whether the queue is working jobs.
func (q *Queue) Running() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.running
}
