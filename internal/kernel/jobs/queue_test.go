package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/jobs"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// fast polls often and retries after a few milliseconds.
var fast = jobs.Options{PollInterval: 20 * time.Millisecond, RetryBase: 10 * time.Millisecond, MaxAttempts: 4}

type echoArgs struct {
	N int `json:"n"`
}

func (echoArgs) Kind() string { return "test_echo" }

func newQueue(t *testing.T, d *db.DB, opts jobs.Options) *jobs.Queue {
	t.Helper()
	q, err := jobs.New(context.Background(), d, quiet, opts)
	if err != nil {
		t.Fatalf("jobs.New: %v", err)
	}
	return q
}

func start(t *testing.T, q *jobs.Queue) {
	t.Helper()
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
}

func waitFor[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
	var zero T
	return zero
}

func jobState(t *testing.T, d *db.DB, id int64) (state string, attempt int) {
	t.Helper()
	if err := d.QueryRow(context.Background(), `SELECT state, attempt FROM river_job WHERE id = ?`, id).Scan(&state, &attempt); err != nil {
		t.Fatalf("read job %d: %v", id, err)
	}
	return state, attempt
}

func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestInsertedJobIsWorked(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, nil, func(t *testing.T, d *db.DB) {
		q := newQueue(t, d, fast)
		got := make(chan int, 1)
		err := jobs.AddFunc(q, func(ctx context.Context, j *river.Job[echoArgs]) error {
			got <- j.Args.N
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		start(t, q)
		id, err := q.Insert(context.Background(), echoArgs{N: 42}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n := waitFor(t, got, "the job"); n != 42 {
			t.Fatalf("worker got %d, want 42", n)
		}
		eventually(t, "job completed", func() bool { s, _ := jobState(t, d, id); return s == "completed" })
	})
}

func TestFailingJobIsRetried(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, nil, func(t *testing.T, d *db.DB) {
		q := newQueue(t, d, fast)
		var calls atomic.Int32
		done := make(chan int, 1)
		_ = jobs.AddFunc(q, func(ctx context.Context, j *river.Job[echoArgs]) error {
			if calls.Add(1) < 3 {
				return errors.New("temporary failure")
			}
			done <- j.Attempt
			return nil
		})
		start(t, q)
		id, err := q.Insert(context.Background(), echoArgs{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if attempt := waitFor(t, done, "the third attempt"); attempt != 3 {
			t.Fatalf("succeeded on attempt %d, want 3", attempt)
		}
		eventually(t, "job completed", func() bool { s, a := jobState(t, d, id); return s == "completed" && a == 3 })
	})
}

func TestJobsGiveUpAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, nil, func(t *testing.T, d *db.DB) {
		q := newQueue(t, d, fast)
		var calls atomic.Int32
		_ = jobs.AddFunc(q, func(ctx context.Context, j *river.Job[echoArgs]) error {
			calls.Add(1)
			return errors.New("always failing")
		})
		start(t, q)
		id, err := q.Insert(context.Background(), echoArgs{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "job discarded", func() bool { s, _ := jobState(t, d, id); return s == "discarded" })
		if n := calls.Load(); n != int32(fast.MaxAttempts) {
			t.Fatalf("worked %d times, want %d", n, fast.MaxAttempts)
		}
	})
}

func TestNoJobLostOnRestart(t *testing.T) {
	t.Parallel()
	eachURL(t, func(t *testing.T, url string) {
		ctx := context.Background()
		// First process: inserts while its queue never starts, then exits.
		d1 := dbtest.Open(t, url, nil)
		q1 := newQueue(t, d1, fast)
		_ = jobs.AddFunc(q1, func(context.Context, *river.Job[echoArgs]) error { return nil })
		for i := range 3 {
			if _, err := q1.Insert(ctx, echoArgs{N: i}, nil); err != nil {
				t.Fatal(err)
			}
		}
		d1.Close()

		d2 := dbtest.Open(t, url, nil)
		q2 := newQueue(t, d2, fast)
		var mu sync.Mutex
		seen := map[int]bool{}
		_ = jobs.AddFunc(q2, func(_ context.Context, j *river.Job[echoArgs]) error {
			mu.Lock()
			seen[j.Args.N] = true
			mu.Unlock()
			return nil
		})
		start(t, q2)
		eventually(t, "three jobs worked after restart", func() bool {
			mu.Lock()
			defer mu.Unlock()
			return len(seen) == 3
		})
	})
}

func TestStopLetsRunningJobFinish(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, nil, func(t *testing.T, d *db.DB) {
		q := newQueue(t, d, fast)
		started, release := make(chan struct{}), make(chan struct{})
		var ctxErr atomic.Value
		_ = jobs.AddFunc(q, func(ctx context.Context, j *river.Job[echoArgs]) error {
			close(started)
			<-release
			if ctx.Err() != nil {
				ctxErr.Store(ctx.Err())
			}
			return nil
		})
		if err := q.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		id, err := q.Insert(context.Background(), echoArgs{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, started, "the job to start")
		stopped := make(chan error, 1)
		go func() { stopped <- q.Stop(context.Background()) }()
		select {
		case err := <-stopped:
			t.Fatalf("Stop returned (%v) while a job was running", err)
		case <-time.After(200 * time.Millisecond):
		}
		close(release)
		if err := waitFor(t, stopped, "Stop"); err != nil {
			t.Fatalf("stop: %v", err)
		}
		if e := ctxErr.Load(); e != nil {
			t.Fatalf("job context cancelled during a graceful stop: %v", e)
		}
		if s, _ := jobState(t, d, id); s != "completed" {
			t.Fatalf("job state after stop = %s, want completed", s)
		}
	})
}

func TestPeriodicJobRunsOnStartAndRepeats(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, nil, func(t *testing.T, d *db.DB) {
		q := newQueue(t, d, fast)
		runs := make(chan struct{}, 10)
		err := q.Periodic("test-tick", 300*time.Millisecond, func(context.Context) error {
			runs <- struct{}{}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Periodic("test-tick", time.Second, func(context.Context) error { return nil }); err == nil {
			t.Fatal("a second periodic job with the same name was accepted")
		}
		start(t, q)
		waitFor(t, runs, "the first run")
		waitFor(t, runs, "the second run")
	})
}

func TestRowsAndJobsCommitTogether(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, nil, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, `CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		q := newQueue(t, d, fast)
		_ = jobs.AddFunc(q, func(context.Context, *river.Job[echoArgs]) error { return nil })
		boom := errors.New("boom")
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO notes (id, body) VALUES (?, ?)`, "a", "rolled back"); err != nil {
				return err
			}
			if _, err := q.InsertTx(ctx, tx, echoArgs{N: 1}, nil); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx error = %v, want boom", err)
		}
		err = d.InTx(ctx, func(tx *db.Tx) error {
			if n, err := db.Affected(ctx, tx, `INSERT INTO notes (id, body) VALUES (?, ?)`, "b", "kept"); err != nil || n != 1 {
				return errors.Join(err, errors.New("insert did not touch one row"))
			}
			var body string
			if err := tx.QueryRow(ctx, `SELECT body FROM notes WHERE id = ?`, "b").Scan(&body); err != nil || body != "kept" {
				return errors.Join(err, errors.New("row not visible inside its transaction"))
			}
			if err := q.InsertManyTx(ctx, tx, []river.JobArgs{echoArgs{N: 2}, echoArgs{N: 3}}); err != nil {
				return err
			}
			_, err := q.InsertTx(ctx, tx, echoArgs{N: 4}, nil)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var notes, jobsN int
		_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM notes`).Scan(&notes)
		_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM river_job`).Scan(&jobsN)
		if notes != 1 || jobsN != 3 {
			t.Fatalf("after one rollback and one commit: %d notes, %d jobs; want 1 and 3", notes, jobsN)
		}
	})
}

// The app's writes and River's share SQLite's single writer connection:
// workers that write, transactions that insert jobs and plain writes all run
// at once and must all finish.
func TestConcurrentWritesDoNotDeadlock(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, nil, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, `CREATE TABLE hits (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		q := newQueue(t, d, fast)
		var worked atomic.Int32
		_ = jobs.AddFunc(q, func(ctx context.Context, j *river.Job[echoArgs]) error {
			if _, err := d.Exec(ctx, `INSERT INTO hits (id, n) VALUES (?, ?)`, 1000+j.Args.N, j.Args.N); err != nil {
				return err
			}
			worked.Add(1)
			return nil
		})
		start(t, q)
		const n = 40
		var wg sync.WaitGroup
		errs := make(chan error, 3*n)
		for i := range n {
			wg.Go(func() {
				errs <- d.InTx(ctx, func(tx *db.Tx) error {
					if _, err := tx.Exec(ctx, `INSERT INTO hits (id, n) VALUES (?, ?)`, i, i); err != nil {
						return err
					}
					_, err := q.InsertTx(ctx, tx, echoArgs{N: i}, nil)
					return err
				})
			})
			wg.Go(func() {
				_, err := d.Exec(ctx, `INSERT INTO hits (id, n) VALUES (?, ?)`, 2000+i, i)
				errs <- err
			})
			wg.Go(func() {
				_, err := q.Insert(ctx, echoArgs{N: n + i}, nil)
				errs <- err
			})
		}
		finished := make(chan struct{})
		go func() { wg.Wait(); close(finished) }()
		waitFor(t, finished, "concurrent writers (deadlock?)")
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		eventually(t, "every job worked", func() bool { return worked.Load() == 2*n })
	})
}

func TestDepthCollector(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, nil, func(t *testing.T, d *db.DB) {
		q := newQueue(t, d, fast)
		_ = jobs.AddFunc(q, func(context.Context, *river.Job[echoArgs]) error { return nil })
		for range 2 {
			if _, err := q.Insert(context.Background(), echoArgs{}, nil); err != nil {
				t.Fatal(err)
			}
		}
		reg := prometheus.NewRegistry()
		reg.MustRegister(q.Collector())
		families, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, f := range families {
			if f.GetName() != "guichet_jobs" {
				continue
			}
			for _, m := range f.GetMetric() {
				got[m.GetLabel()[0].GetValue()] = m.GetGauge().GetValue()
			}
		}
		if len(got) != len(jobs.States) || got["available"] != 2 || got["completed"] != 0 {
			t.Fatalf("guichet_jobs = %v, want every state with available=2", got)
		}
	})
}

// eachURL runs fn on a fresh database URL per engine, reporting PostgreSQL
// as skipped when it is not configured.
func eachURL(t *testing.T, fn func(t *testing.T, url string)) {
	urls := dbtest.URLs(t)
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			u, ok := urls[dialect]
			if !ok {
				t.Skip("PostgreSQL not configured: set GUICHET_TEST_POSTGRES=postgres://…")
			}
			fn(t, u)
		})
	}
}

// On PostgreSQL a job committed in a db.Tx wakes the workers at once
// through LISTEN/NOTIFY, long before they would poll for it.
func TestPostgresWorkersHearNewJobs(t *testing.T) {
	t.Parallel()
	u, ok := dbtest.URLs(t)[db.Postgres]
	if !ok {
		t.Skip("PostgreSQL not configured: set GUICHET_TEST_POSTGRES=postgres://…")
	}
	d := dbtest.Open(t, u, nil)
	q := newQueue(t, d, jobs.Options{PollInterval: time.Minute})
	got := make(chan int, 2)
	_ = jobs.AddFunc(q, func(ctx context.Context, j *river.Job[echoArgs]) error {
		got <- j.Args.N
		return nil
	})
	start(t, q)
	insert := func(n int) {
		t.Helper()
		err := d.InTx(context.Background(), func(tx *db.Tx) error {
			_, err := q.InsertTx(context.Background(), tx, echoArgs{N: n}, nil)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The first job may be found by the fetch that follows Start; the
	// second, inserted once that is over, only by the notification (River
	// sends at most one per queue every 100 ms).
	insert(1)
	first := time.Now()
	waitFor(t, got, "the first job")
	time.Sleep(time.Until(first.Add(150 * time.Millisecond)))
	insert(2)
	if n := waitFor(t, got, "the second job (no notification?)"); n != 2 {
		t.Fatalf("worker got %d, want 2", n)
	}
}

// Two nodes on one PostgreSQL schema share the queue: each of 200 jobs
// runs once, on one node or the other, and a periodic job is scheduled
// by one leader only, so that its runs are not doubled.
func TestTwoNodesRunEachJobOnceAndOnePeriodicSchedule(t *testing.T) {
	t.Parallel()
	u, ok := dbtest.URLs(t)[db.Postgres]
	if !ok {
		t.Skip("PostgreSQL not configured: set GUICHET_TEST_POSTGRES=postgres://…")
	}
	var mu sync.Mutex
	runs := map[int]int{}
	byNode := [2]int{}
	var ticks atomic.Int64
	queues := make([]*jobs.Queue, 2)
	for i := range queues {
		d := dbtest.Open(t, u, nil)
		q := newQueue(t, d, fast)
		if err := jobs.AddFunc(q, func(ctx context.Context, j *river.Job[echoArgs]) error {
			mu.Lock()
			runs[j.Args.N]++
			byNode[i]++
			mu.Unlock()
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := q.Periodic("test-both", time.Hour, func(context.Context) error { ticks.Add(1); return nil }); err != nil {
			t.Fatal(err)
		}
		queues[i] = q
	}
	for _, q := range queues {
		start(t, q)
	}
	for n := range 200 {
		if _, err := queues[n%2].Insert(context.Background(), echoArgs{N: n}, nil); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "every job run", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(runs) == 200 && ticks.Load() >= 1
	})
	time.Sleep(300 * time.Millisecond) // room for a second run or a second schedule to show
	mu.Lock()
	defer mu.Unlock()
	for n, c := range runs {
		if c != 1 {
			t.Errorf("job %d ran %d times", n, c)
		}
	}
	if ticks.Load() != 1 {
		t.Errorf("the hourly job ran %d times on start across two nodes, want 1", ticks.Load())
	}
	t.Logf("jobs run by node A %d, by node B %d", byNode[0], byNode[1])
}
