package db_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// A database locked by another process answers a write within seconds
// with ErrBusy (a 503 for the web layer), then at once while the lock
// seems held; reads go on; the write check reports the lock until it is
// released. SQLite only: PostgreSQL has no database-wide write lock.
func TestLockedDatabaseAnswersBusyQuickly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g.db")
	d, err := db.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Exec(ctx, `CREATE TABLE t (x TEXT)`); err != nil {
		t.Fatal(err)
	}
	release := dbtest.HoldWriteLock(t, path)

	began := time.Now()
	_, err = d.Exec(ctx, `INSERT INTO t (x) VALUES ('a')`)
	waited := time.Since(began)
	if !errors.Is(err, db.ErrBusy) || guichet.ErrorCode(err) != guichet.EUnavailable {
		t.Fatalf("write on a locked database: %v", err)
	}
	if waited > 8*time.Second {
		t.Fatalf("the write waited %v for the lock", waited)
	}
	began = time.Now()
	err = d.InTx(ctx, func(tx *db.Tx) error { return nil })
	if !errors.Is(err, db.ErrBusy) || time.Since(began) >= time.Second {
		t.Fatalf("the next write: %v after %v, want ErrBusy at once", err, time.Since(began))
	}
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM t`).Scan(&n); err != nil {
		t.Fatalf("reads stop with the write lock: %v", err)
	}
	if err := d.CheckWritable(ctx); !errors.Is(err, db.ErrBusy) {
		t.Fatalf("write check while locked: %v", err)
	}

	release()
	deadline := time.Now().Add(10 * time.Second)
	for d.CheckWritable(ctx) != nil {
		if time.Now().After(deadline) {
			t.Fatal("still not writable once the lock is released")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := d.Exec(ctx, `INSERT INTO t (x) VALUES ('b')`); err != nil {
		t.Fatal(err)
	}
}
