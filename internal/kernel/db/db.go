// Package db opens SQLite or PostgreSQL behind one small API, rewrites the
// few dialect differences, applies migrations and counts queries.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
)

// Dialect names the SQL engine behind a DB.
type Dialect string

// The two engines Guichet runs on.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is a database handle. On SQLite reads use a pool and writes one
// connection, so that writers queue in Go instead of failing on SQLITE_BUSY.
type DB struct {
	dialect Dialect
	read    *sql.DB
	write   *sql.DB
	// Pool is the pgx pool behind a PostgreSQL DB (nil on SQLite); the job
	// queue listens for new jobs on one of its connections.
	Pool *pgxpool.Pool
	// Schema is the PostgreSQL schema in use ("" for the default).
	Schema string
	// replica, when opened, takes the reads that allow it (replica.go).
	replica *replica
}

// sqlitePragmas are set on every connection: busy timeout first so that the
// others wait for a lock instead of failing. It is short: this process's
// writers queue on one connection and never wait on each other, so only
// another process holds the lock, and a visitor gets a 503 within seconds
// rather than a page that hangs.
const sqlitePragmas = "_pragma=busy_timeout(3000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
	"&_pragma=synchronous(NORMAL)&_time_format=sqlite&_timezone=UTC"

// Open connects to the database named by url: "sqlite:PATH" or "postgres://…".
// A "schema" query parameter on a postgres URL selects (and creates) a schema.
func Open(ctx context.Context, rawURL string) (*DB, error) {
	switch {
	case strings.HasPrefix(rawURL, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(rawURL, "sqlite:"))
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return openPostgres(ctx, rawURL)
	}
	return nil, fmt.Errorf("db: unsupported database URL %q (want sqlite:PATH or postgres://…)", rawURL)
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if err := privateFile(path); err != nil {
		return nil, err
	}
	dsn := "file:" + path + "?" + sqlitePragmas
	readConn, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("db: open sqlite: %w", err)
	}
	writeConn, err := sqlite.NewConnector(dsn + "&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("db: open sqlite: %w", err)
	}
	read, write := sql.OpenDB(stmtConnector{Connector: readConn}), sql.OpenDB(stmtConnector{Connector: writeConn, gate: &busyGate{}})
	write.SetMaxOpenConns(1)
	read.SetMaxOpenConns(8)
	// Keep every connection open (database/sql keeps two by default): a
	// new one sets its pragmas again and starts with no prepared statement.
	read.SetMaxIdleConns(8)
	d := &DB{dialect: SQLite, read: read, write: write}
	if err := write.PingContext(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("db: ping sqlite: %w", err)
	}
	return d, nil
}

// privateFile creates the database file readable by its owner only (SQLite
// gives its -wal and -shm files the same mode), and narrows the mode of
// files an earlier version created wider. Its folder is created private too.
func privateFile(path string) error {
	if path == "" || strings.HasPrefix(path, ":memory:") {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("db: create folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("db: create %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("db: create %s: %w", path, err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("db: make %s private: %w", p, err)
		}
	}
	return nil
}

func openPostgres(ctx context.Context, rawURL string) (*DB, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("db: parse postgres URL: %w", err)
	}
	q := u.Query()
	schema := q.Get("schema")
	q.Del("schema")
	if schema != "" {
		q.Set("search_path", schema)
	}
	u.RawQuery = q.Encode()
	cfg, err := pgxpool.ParseConfig(u.String())
	if err != nil {
		return nil, fmt.Errorf("db: postgres config: %w", err)
	}
	if cfg.MaxConns < 16 {
		cfg.MaxConns = 16
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("db: connect postgres: %w", err)
	}
	if schema != "" {
		if _, err := pool.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+quoteIdent(schema)); err != nil {
			pool.Close()
			return nil, fmt.Errorf("db: create schema: %w", err)
		}
	}
	sqldb := stdlib.OpenDBFromPool(pool)
	d := &DB{dialect: Postgres, read: sqldb, write: sqldb, Pool: pool, Schema: schema}
	if err := sqldb.PingContext(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("db: ping postgres: %w", err)
	}
	return d, nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// Close releases every connection.
func (d *DB) Close() error {
	var err error
	if d.replica != nil {
		err = d.replica.close()
	}
	err = errors.Join(err, d.read.Close())
	if d.write != d.read {
		err = errors.Join(err, d.write.Close())
	}
	if d.Pool != nil {
		d.Pool.Close()
	}
	return err
}

// SQL returns the *sql.DB that writes go through; the job queue's driver
// runs on it.
func (d *DB) SQL() *sql.DB { return d.write }

// Stats returns the connection pool statistics of the read pool.
func (d *DB) Stats() sql.DBStats { return d.read.Stats() }

// Ping checks the database answers.
func (d *DB) Ping(ctx context.Context) error { return d.read.PingContext(ctx) }

// CheckWritable reports whether a write can take the database's lock now:
// on SQLite, another process may hold it while reads still work.
func (d *DB) CheckWritable(ctx context.Context) error {
	if d.dialect != SQLite {
		return d.write.PingContext(ctx)
	}
	tx, err := d.write.BeginTx(ctx, nil) // BEGIN IMMEDIATE takes the write lock
	if err != nil {
		return fmt.Errorf("db: take the write lock: %w", err)
	}
	return tx.Rollback()
}
