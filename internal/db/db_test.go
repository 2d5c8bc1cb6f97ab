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

	"guichet/internal/db"
	"guichet/internal/dbtest"
)

var sample = db.Migrations{Domain: "sample", Files: fstest.MapFS{
	"0001_things.sql": {Data: []byte(`CREATE TABLE things (id TEXT PRIMARY KEY, label TEXT NOT NULL UNIQUE,
		created_at TIMESTAMPTZ NOT NULL, payload BYTEA);`)},
	"0002_flag.sql": {Data: []byte(`ALTER TABLE things ADD COLUMN done BOOLEAN NOT NULL DEFAULT FALSE;`)},
}}

func TestMigrateQueryAndTransactions(t *testing.T) {
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

func TestQueryCounter(t *testing.T) {
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
	_, err := db.Open(context.Background(), "mysql://x")
	if err == nil || !strings.Contains(err.Error(), "unsupported") {
		t.Fatalf("got %v", err)
	}
}

func TestBrokenMigrationIsNotRecorded(t *testing.T) {
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
