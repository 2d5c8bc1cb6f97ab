package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

var sample = db.Migrations{Domain: "sample", Files: fstest.MapFS{
	"0001_things.sql": {Data: []byte(`CREATE TABLE things (id TEXT PRIMARY KEY, label TEXT NOT NULL UNIQUE,
		created_at TIMESTAMPTZ NOT NULL, payload BYTEA);`)},
	"0002_flag.sql": {Data: []byte(`ALTER TABLE things ADD COLUMN done BOOLEAN NOT NULL DEFAULT FALSE;`)},
}}

func TestMigrateQueryAndTransactions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{sample}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		// Migrating again applies nothing and reports nothing pending.
		if err := d.Migrate(ctx, []db.Migrations{sample}); err != nil {
			t.Fatal(err)
		}
		if n, err := d.Pending(ctx, []db.Migrations{sample}); err != nil || n != 0 {
			t.Fatalf("pending = %d, %v", n, err)
		}
		now := time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)
		if _, err := d.Exec(ctx, `INSERT INTO things (id, label, created_at, payload, done) VALUES (?, ?, ?, ?, ?)`,
			"1", "what? it's fine", now, []byte{0, 1}, true); err != nil {
			t.Fatal(err)
		}
		var label string
		var created time.Time
		var done bool
		err := d.QueryRow(ctx, `SELECT label, created_at, done FROM things WHERE id = ? AND label <> '?'`, "1").
			Scan(&label, &created, &done)
		if err != nil || label != "what? it's fine" || !created.Equal(now) || !done {
			t.Fatalf("read back %q %v %v, %v", label, created, done, err)
		}
		_, err = d.Exec(ctx, `INSERT INTO things (id, label, created_at) VALUES (?, ?, ?)`, "2", label, now)
		if !db.IsUniqueViolation(err) {
			t.Fatalf("duplicate label: got %v, want a unique violation", err)
		}
		// A failing transaction leaves nothing behind.
		boom := errors.New("boom")
		err = d.InTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO things (id, label, created_at) VALUES (?, ?, ?)`, "3", "x", now); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx returned %v", err)
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM things`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("rows after rollback = %d, %v", n, err)
		}
	})
}

// OnCommit hooks run once the rows are there for others to read, and
// never for a transaction rolled back.
func TestOnCommitRunsAfterCommitOnly(t *testing.T) {
	dbtest.Each(t, []db.Migrations{sample}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC)
		var seen []string
		write := func(id string, fail error) error {
			return d.InTx(ctx, func(tx *db.Tx) error {
				if _, err := tx.Exec(ctx, `INSERT INTO things (id, label, created_at) VALUES (?, ?, ?)`, id, id, now); err != nil {
					return err
				}
				tx.OnCommit(func() {
					var n int
					_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM things WHERE id = ?`, id).Scan(&n)
					seen = append(seen, fmt.Sprintf("%s:%d", id, n))
				})
				return fail
			})
		}
		if err := write("kept", nil); err != nil {
			t.Fatal(err)
		}
		if err := write("dropped", errors.New("boom")); err == nil {
			t.Fatal("the failing transaction succeeded")
		}
		if len(seen) != 1 || seen[0] != "kept:1" {
			t.Fatalf("hooks saw %v, want [kept:1]", seen)
		}
	})
}

func TestQueryCounter(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{sample}, func(t *testing.T, d *db.DB) {
		var n atomic.Int64
		ctx := db.WithQueryCounter(context.Background(), &n)
		for i := 0; i < 3; i++ {
			var x int
			if err := d.QueryRow(ctx, `SELECT 1`).Scan(&x); err != nil {
				t.Fatal(err)
			}
		}
		if n.Load() != 3 {
			t.Fatalf("counted %d queries, want 3", n.Load())
		}
	})
}

func TestOpenRejectsUnknownURL(t *testing.T) {
	t.Parallel()
	_, err := db.Open(context.Background(), "mysql://x")
	if err == nil || !strings.Contains(err.Error(), "unsupported") {
		t.Fatalf("got %v", err)
	}
}

// TestSharedSetIsAppliedOnce: capabilities that publish in one set of
// tables each list it; it is counted and applied once.
func TestSharedSetIsAppliedOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, nil, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		twice := []db.Migrations{sample, sample}
		if n, err := d.Pending(ctx, twice); err != nil || n != 2 {
			t.Fatalf("pending = %d, %v; want 2", n, err)
		}
		if err := d.Migrate(ctx, twice); err != nil {
			t.Fatalf("a set listed twice: %v", err)
		}
		if n, err := d.Pending(ctx, twice); err != nil || n != 0 {
			t.Fatalf("pending after = %d, %v", n, err)
		}
	})
}

func TestBrokenMigrationIsNotRecorded(t *testing.T) {
	t.Parallel()
	broken := db.Migrations{Domain: "broken", Files: fstest.MapFS{
		"0001_bad.sql": {Data: []byte(`CREATE TABLE ok_table (id TEXT); CREATE TABLE nope (;`)},
	}}
	dbtest.Each(t, nil, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.Migrate(ctx, []db.Migrations{broken}); err == nil {
			t.Fatal("a broken migration succeeded")
		}
		if n, _ := d.Pending(ctx, []db.Migrations{broken}); n != 1 {
			t.Fatalf("pending = %d, want 1", n)
		}
	})
}

// TestStatementCacheUnderConcurrentTransactions runs transactions and plain
// statements at once: the statement cache must neither deadlock on SQLite's
// single writer nor mix up results.
func TestStatementCacheUnderConcurrentTransactions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{sample}, func(t *testing.T, d *db.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		errs := make(chan error, 90)
		for i := 0; i < 30; i++ {
			go func() {
				errs <- d.InTx(ctx, func(tx *db.Tx) error {
					if _, err := tx.Exec(ctx, `INSERT INTO things (id, label, created_at) VALUES (?, ?, ?)`,
						fmt.Sprintf("tx-%d", i), fmt.Sprintf("tx label %d", i), time.Now().UTC()); err != nil {
						return err
					}
					var n int
					return tx.QueryRow(ctx, `SELECT COUNT(*) FROM things WHERE id = ?`, fmt.Sprintf("tx-%d", i)).Scan(&n)
				})
			}()
			go func() {
				_, err := d.Exec(ctx, `INSERT INTO things (id, label, created_at) VALUES (?, ?, ?)`,
					fmt.Sprintf("plain-%d", i), fmt.Sprintf("plain label %d", i), time.Now().UTC())
				errs <- err
			}()
			go func() {
				var label string
				err := d.QueryRow(ctx, `SELECT label FROM things WHERE id = ?`, "none").Scan(&label)
				if errors.Is(err, sql.ErrNoRows) {
					err = nil
				}
				errs <- err
			}()
		}
		for i := 0; i < 90; i++ {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM things`).Scan(&n); err != nil || n != 60 {
			t.Fatalf("%d rows, %v; want 60", n, err)
		}
	})
}

// TestSQLiteStatementCache: a cached statement sees a column added after
// it was prepared, and the same query run again in a transaction while its
// first result set is still open gets a statement of its own. The cache is
// SQLite's only: pgx keeps its own.
func TestSQLiteStatementCache(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t, dbtest.URLs(t)[db.SQLite], []db.Migrations{sample})
	ctx := context.Background()
	now := time.Now().UTC()
	if _, err := d.Exec(ctx, `INSERT INTO things (id, label, created_at) VALUES (?, ?, ?)`, "0", "label 0", now); err != nil {
		t.Fatal(err)
	}
	cols := func() int {
		rows, err := d.Query(ctx, `SELECT * FROM things WHERE id = ?`, "0")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		c, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		return len(c)
	}
	before := cols()
	if _, err := d.Exec(ctx, `ALTER TABLE things ADD COLUMN note TEXT`); err != nil {
		t.Fatal(err)
	}
	if after := cols(); after != before+1 {
		t.Errorf("%d columns after adding one to %d", after, before)
	}
	var outer, inner []string
	err := d.InTx(ctx, func(tx *db.Tx) error {
		for i := 1; i < 3; i++ {
			if _, err := tx.Exec(ctx, `INSERT INTO things (id, label, created_at) VALUES (?, ?, ?)`,
				fmt.Sprint(i), fmt.Sprintf("label %d", i), now); err != nil {
				return err
			}
		}
		const q = `SELECT id FROM things WHERE id >= ? ORDER BY id`
		rows, err := tx.Query(ctx, q, "0")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			outer = append(outer, id)
			if len(inner) > 0 {
				continue
			}
			in, err := tx.Query(ctx, q, "1") // the outer query's text, while it is open
			if err != nil {
				return err
			}
			for in.Next() {
				var s string
				if err := in.Scan(&s); err != nil {
					return err
				}
				inner = append(inner, s)
			}
			if err := in.Close(); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(outer, ",") != "0,1,2" || strings.Join(inner, ",") != "1,2" {
		t.Errorf("outer %v, inner %v; want 0,1,2 and 1,2", outer, inner)
	}
}

// Nodes started together on a new schema migrate it once between them:
// each waits for the one migrating, then finds nothing left to do.
func TestNodesStartedTogetherMigrateOnce(t *testing.T) {
	t.Parallel()
	u, ok := dbtest.URLs(t)[db.Postgres]
	if !ok {
		t.Skip("PostgreSQL not configured: set GUICHET_TEST_POSTGRES=postgres://…")
	}
	ctx := context.Background()
	nodes := make([]*db.DB, 4)
	for i := range nodes {
		d, err := db.Open(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		if err := d.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		nodes[i] = d
	}
	sets := []db.Migrations{sample, {Domain: "more", Files: fstest.MapFS{
		"0001_a.sql": {Data: []byte(`CREATE TABLE more_a (id TEXT PRIMARY KEY);`)},
		"0002_b.sql": {Data: []byte(`CREATE TABLE more_b (id TEXT PRIMARY KEY); CREATE INDEX more_b_id ON more_b (id);`)},
		"0003_c.sql": {Data: []byte(`ALTER TABLE more_a ADD COLUMN n INTEGER NOT NULL DEFAULT 0;`)},
	}}}
	start := make(chan struct{})
	errs := make(chan error, len(nodes))
	for _, d := range nodes {
		go func() {
			<-start
			errs <- d.Migrate(ctx, sets)
		}()
	}
	close(start)
	for range nodes {
		if err := <-errs; err != nil {
			t.Errorf("a node failed to start: %v", err)
		}
	}
}
