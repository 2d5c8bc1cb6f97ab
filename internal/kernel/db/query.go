package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
)

// Querier is what store code needs: a *DB or a *Tx.
type Querier interface {
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) *sql.Row
	Dialect() Dialect
}

// Exec runs a statement on the writer.
func (d *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	count(ctx)
	return d.write.ExecContext(ctx, d.rebind(query), textArgs(args)...)
}

// Query runs a query on the read pool, or the replica when ctx allows it.
func (d *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	count(ctx)
	return d.reader(ctx).QueryContext(ctx, d.rebind(query), textArgs(args)...)
}

// QueryRow runs a one-row query on the read pool, or the replica when
// ctx allows it.
func (d *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	count(ctx)
	return d.reader(ctx).QueryRowContext(ctx, d.rebind(query), textArgs(args)...)
}

// Dialect returns the SQL engine.
func (d *DB) Dialect() Dialect { return d.dialect }

// Tx is a transaction on the writer. It is the one transaction of the
// program: store code writes its rows in it, the search index its postings
// and the job queue its jobs (jobs.Queue.InsertTx), so that all of them
// commit or roll back together.
type Tx struct {
	tx       *sql.Tx
	db       *DB
	onCommit []func()
}

// InTx runs fn in a transaction (IMMEDIATE on SQLite), committing if fn
// returns nil and rolling back otherwise.
func (d *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := d.Begin(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}

// Begin starts a transaction on the writer for a caller that must commit
// by hand; InTx is the usual way. It ends with Commit or Rollback.
func (d *DB) Begin(ctx context.Context) (*Tx, error) {
	count(ctx)
	stx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("db: begin: %w", err)
	}
	return &Tx{tx: stx, db: d}, nil
}

// SQL returns the underlying transaction, which the job queue's driver
// inserts jobs in.
func (t *Tx) SQL() *sql.Tx { return t.tx }

// Commit commits the transaction, then runs what OnCommit registered.
func (t *Tx) Commit() error {
	if err := t.tx.Commit(); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	for _, fn := range t.onCommit {
		fn()
	}
	return nil
}

// OnCommit runs fn after the transaction commits, and never if it rolls
// back: a cache dropped there cannot be filled again from the rows before.
func (t *Tx) OnCommit(fn func()) { t.onCommit = append(t.onCommit, fn) }

// Rollback abandons the transaction; after a commit it does nothing.
func (t *Tx) Rollback() error {
	return ignoreDone(t.tx.Rollback())
}

func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// Exec runs a statement in the transaction.
func (t *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	count(ctx)
	return t.tx.ExecContext(ctx, t.db.rebind(query), textArgs(args)...)
}

// Query runs a query in the transaction.
func (t *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	count(ctx)
	return t.tx.QueryContext(ctx, t.db.rebind(query), textArgs(args)...)
}

// QueryRow runs a one-row query in the transaction.
func (t *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	count(ctx)
	return t.tx.QueryRowContext(ctx, t.db.rebind(query), textArgs(args)...)
}

// Dialect returns the SQL engine.
func (t *Tx) Dialect() Dialect { return t.db.dialect }

// rebind turns the portable "?" placeholders into PostgreSQL's "$n".
// Question marks inside single-quoted literals are left alone.
func (d *DB) rebind(q string) string {
	if d.dialect != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n, quoted := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// IsUniqueViolation reports whether err is a unique-constraint failure on either engine.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

type counterKey struct{}

// WithQueryCounter returns a context whose queries are counted into n; tests
// use it to assert a constant number of queries per page.
func WithQueryCounter(ctx context.Context, n *atomic.Int64) context.Context {
	return context.WithValue(ctx, counterKey{}, n)
}

func count(ctx context.Context) {
	if n, ok := ctx.Value(counterKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
}
