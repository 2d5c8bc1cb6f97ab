package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

// A replica is a PostgreSQL streaming standby that takes reads off the
// primary. A read goes to it only when three things hold: its request
// allows it (ReplicaAllowed: a page or list read by a visitor who has not
// just written), the standby answers, and it has replayed every change
// this node has heard of (NeedLSN). The last keeps caches right: a node
// told that a booking was made reloads its slots from a standby that
// already holds the booking, or from the primary.
type replica struct {
	sql  *sql.DB
	pool *pgxpool.Pool
	log  *slog.Logger
	// replayed is the standby's last replayed WAL position, read every
	// poll; needed is the highest position announced to this node.
	replayed, needed atomic.Uint64
	up               atomic.Bool
	lagMillis        atomic.Int64
	reads            atomic.Uint64
	stop             context.CancelFunc
	done             chan struct{}
}

// replicaPoll is how often the standby's position is read: a read after a
// change waits at most this long before it may go to the standby again.
const replicaPoll = 50 * time.Millisecond

type replicaKey struct{}

// ReplicaAllowed marks ctx's reads as allowed on a standby.
func ReplicaAllowed(ctx context.Context) context.Context {
	return context.WithValue(ctx, replicaKey{}, true)
}

// ReplicaAllowedIn reports whether ReplicaAllowed marked ctx.
func ReplicaAllowedIn(ctx context.Context) bool { return ctx.Value(replicaKey{}) != nil }

// OpenReplica sends the reads that allow it to the standby at rawURL, in
// the primary's schema. It fails unless the server is a standby: a
// primary named by mistake would take writes it never sees.
func (d *DB) OpenReplica(ctx context.Context, rawURL string, log *slog.Logger) error {
	if d.dialect != Postgres {
		return errors.New("db: a read replica needs PostgreSQL")
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("db: parse replica URL: %w", err)
	}
	q := u.Query()
	q.Del("schema")
	if d.Schema != "" {
		q.Set("search_path", d.Schema)
	}
	u.RawQuery = q.Encode()
	cfg, err := pgxpool.ParseConfig(u.String())
	if err != nil {
		return fmt.Errorf("db: replica config: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("db: connect replica: %w", err)
	}
	var standby bool
	if err := pool.QueryRow(ctx, "SELECT pg_is_in_recovery()").Scan(&standby); err != nil {
		pool.Close()
		return fmt.Errorf("db: replica: %w", err)
	}
	if !standby {
		pool.Close()
		return errors.New("db: the replica URL names a server that is not a standby (pg_is_in_recovery() is false)")
	}
	runCtx, stop := context.WithCancel(context.Background())
	r := &replica{sql: stdlib.OpenDBFromPool(pool), pool: pool, log: log, stop: stop, done: make(chan struct{})}
	d.replica = r
	r.measure(ctx, d)
	go r.watch(runCtx, d)
	return nil
}

// NeedLSN records that a change up to the WAL position lsn ("16/B374D848")
// was announced: reads stay on the primary until the standby replays it.
func (d *DB) NeedLSN(lsn string) {
	if d.replica == nil {
		return
	}
	n, ok := parseLSN(lsn)
	if !ok {
		return
	}
	for {
		cur := d.replica.needed.Load()
		if n <= cur || d.replica.needed.CompareAndSwap(cur, n) {
			return
		}
	}
}

// reader returns the pool a read of ctx goes to.
func (d *DB) reader(ctx context.Context) *sql.DB {
	r := d.replica
	if r == nil || !ReplicaAllowedIn(ctx) || !r.up.Load() || r.replayed.Load() < r.needed.Load() {
		return d.read
	}
	r.reads.Add(1)
	return r.sql
}

// watch reads the standby's position until stopped.
func (r *replica) watch(ctx context.Context, d *DB) {
	defer close(r.done)
	tick := time.NewTicker(replicaPoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			r.measure(ctx, d)
		}
	}
}

// measure reads the standby's replayed position and how old its last
// replayed transaction is; a standby that does not answer is set aside
// until it does. (Its lag in bytes costs a query of the primary: it is
// read when the metrics are, in ReplicaStats, not at every poll.)
func (r *replica) measure(ctx context.Context, d *DB) {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	var replayed string
	var lagMillis sql.NullFloat64
	err := r.pool.QueryRow(ctx, `SELECT COALESCE(pg_last_wal_replay_lsn()::text, '0/0'),
		CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
		ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) * 1000 END`).Scan(&replayed, &lagMillis)
	if err != nil {
		if r.up.Swap(false) && ctx.Err() == nil {
			r.log.Warn("db: the read replica does not answer; reads go to the primary", "err", err)
		}
		return
	}
	n, _ := parseLSN(replayed)
	r.replayed.Store(n)
	r.lagMillis.Store(int64(lagMillis.Float64))
	if !r.up.Swap(true) {
		r.log.Info("db: the read replica answers; reads that allow it go there")
	}
}

// ReplicaStats is the standby's state, for /metrics.
type ReplicaStats struct {
	Configured, Up bool
	// LagBytes is how far its replay is behind the primary's WAL.
	LagBytes int64
	// Lag is how old its last replayed transaction is, while behind.
	Lag   time.Duration
	Reads uint64
}

// ReplicaStats returns the standby's state (Configured false without one),
// its lag in bytes read from the primary's position now.
func (d *DB) ReplicaStats(ctx context.Context) ReplicaStats {
	r := d.replica
	if r == nil {
		return ReplicaStats{}
	}
	s := ReplicaStats{Configured: true, Up: r.up.Load(), Lag: time.Duration(r.lagMillis.Load()) * time.Millisecond,
		Reads: r.reads.Load()}
	var primary string
	if err := d.Pool.QueryRow(ctx, "SELECT pg_current_wal_lsn()::text").Scan(&primary); err == nil {
		p, _ := parseLSN(primary)
		s.LagBytes = max(0, int64(p)-int64(r.replayed.Load()))
	}
	return s
}

func (r *replica) close() error {
	r.stop()
	<-r.done
	err := r.sql.Close()
	r.pool.Close()
	return err
}

// parseLSN reads PostgreSQL's "hi/lo" hexadecimal WAL position.
func parseLSN(s string) (uint64, bool) {
	hi, lo, ok := strings.Cut(s, "/")
	if !ok {
		return 0, false
	}
	h, err1 := strconv.ParseUint(hi, 16, 32)
	l, err2 := strconv.ParseUint(lo, 16, 32)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return h<<32 | l, true
}
