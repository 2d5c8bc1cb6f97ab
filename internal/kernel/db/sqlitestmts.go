package db

import (
	"context"
	"database/sql/driver"
	"errors"
	"sync"
)

// maxStmtsPerConn bounds each connection's cache: queries are literals in
// the code, but a few are built with a variable number of placeholders.
const maxStmtsPerConn = 1000

// stmtConnector opens SQLite connections that keep every query they run
// prepared, keyed by its text. The driver would otherwise parse the SQL on
// each call: a sixth of a booking's time under load, and most of a job
// insert's, whose SQL comes from the job queue library. PostgreSQL needs
// none of this: pgx caches prepared statements per connection itself.
type stmtConnector struct {
	driver.Connector
	gate *busyGate // the writer's; nil for readers
}

func (c stmtConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	for _, ok := range []bool{
		implements[driver.ConnBeginTx](conn), implements[driver.ConnPrepareContext](conn),
		implements[driver.ExecerContext](conn), implements[driver.QueryerContext](conn),
		implements[driver.Pinger](conn), implements[driver.SessionResetter](conn), implements[driver.Validator](conn),
	} {
		if !ok {
			_ = conn.Close()
			return nil, errors.New("db: the SQLite driver lacks an interface the statement cache forwards")
		}
	}
	return &stmtConn{Conn: conn, stmts: map[string]*cachedStmt{}, gate: c.gate}, nil
}

func implements[T any](v any) bool { _, ok := v.(T); return ok }

// stmtConn is one connection with its prepared statements. database/sql
// uses a connection from one goroutine at a time; the mutex only guards
// against a result set closed from elsewhere.
type stmtConn struct {
	driver.Conn
	mu    sync.Mutex
	stmts map[string]*cachedStmt
	gate  *busyGate
}

type cachedStmt struct {
	stmt driver.Stmt
	busy bool // its result set is still open
}

// Unwrap returns the driver's connection (the driver's own helpers look for it).
func (c *stmtConn) Unwrap() driver.Conn { return c.Conn }

// prepared returns query's statement and the function to call when done
// with it. A statement whose result set is still open is not shared: the
// query then gets one of its own, closed after use.
func (c *stmtConn) prepared(ctx context.Context, query string) (driver.Stmt, func(), error) {
	c.mu.Lock()
	cs := c.stmts[query]
	if cs != nil && !cs.busy {
		cs.busy = true
		c.mu.Unlock()
		return cs.stmt, func() { c.mu.Lock(); cs.busy = false; c.mu.Unlock() }, nil
	}
	full := len(c.stmts) >= maxStmtsPerConn
	c.mu.Unlock()
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, nil, err
	}
	if cs != nil || full {
		return st, func() { _ = st.Close() }, nil
	}
	cs = &cachedStmt{stmt: st, busy: true}
	c.mu.Lock()
	c.stmts[query] = cs
	c.mu.Unlock()
	return st, func() { c.mu.Lock(); cs.busy = false; c.mu.Unlock() }, nil
}

func (c *stmtConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if err := c.gate.check(); err != nil {
		return nil, err
	}
	st, done, err := c.prepared(ctx, query)
	if err != nil {
		return nil, c.gate.note(err)
	}
	defer done()
	res, err := st.(driver.StmtExecContext).ExecContext(ctx, args)
	return res, c.gate.note(err)
}

func (c *stmtConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := c.gate.check(); err != nil {
		return nil, err
	}
	st, done, err := c.prepared(ctx, query)
	if err != nil {
		return nil, c.gate.note(err)
	}
	rows, err := st.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		done()
		return nil, c.gate.note(err)
	}
	return &stmtRows{Rows: rows, done: done}, nil
}

// Close finalises the cached statements, then closes the connection.
func (c *stmtConn) Close() error {
	c.mu.Lock()
	var errs []error
	for _, cs := range c.stmts {
		errs = append(errs, cs.stmt.Close())
	}
	c.stmts = nil
	c.mu.Unlock()
	return errors.Join(append(errs, c.Conn.Close())...)
}

func (c *stmtConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := c.gate.check(); err != nil {
		return nil, err
	}
	tx, err := c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
	if err != nil {
		return nil, c.gate.note(err)
	}
	return busyTx{Tx: tx, gate: c.gate}, nil
}

// busyTx marks a commit that found the database locked.
type busyTx struct {
	driver.Tx
	gate *busyGate
}

func (t busyTx) Commit() error { return t.gate.note(t.Tx.Commit()) }

func (c *stmtConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *stmtConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }

func (c *stmtConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *stmtConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

// stmtRows hands its statement back when closed.
type stmtRows struct {
	driver.Rows
	done func()
	once sync.Once
}

func (r *stmtRows) Close() error {
	err := r.Rows.Close()
	r.once.Do(r.done)
	return err
}
