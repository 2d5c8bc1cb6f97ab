package db

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// maxCachedStmts bounds the cache: queries are literals in the code, but a
// few are built with a variable number of placeholders.
const maxCachedStmts = 2000

// stmtCache keeps prepared statements on SQLite, whose driver would parse
// every query again on each call (a sixth of a booking's time under load);
// pgx already caches prepared statements per connection.
type stmtCache struct {
	mu    sync.RWMutex
	pool  *sql.DB
	stmts map[string]*sql.Stmt
}

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, stmts: map[string]*sql.Stmt{}}
}

// cached returns the prepared statement for query if there is one. A
// transaction uses only this: preparing on the pool from inside a
// transaction would wait for SQLite's single writer connection forever.
func (c *stmtCache) cached(query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.stmts[query]
}

// get returns the prepared statement for query, or nil when it is not
// worth caching (several statements in one string, a full cache) or
// cannot be prepared, in which case the caller runs the query unprepared.
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.RLock()
	st, ok := c.stmts[query]
	c.mu.RUnlock()
	if ok {
		return st
	}
	if strings.Contains(strings.TrimRight(strings.TrimSpace(query), ";"), ";") {
		return nil
	}
	c.mu.RLock()
	full := len(c.stmts) >= maxCachedStmts
	c.mu.RUnlock()
	if full {
		return nil
	}
	// Prepare without holding the lock: preparing waits for a connection,
	// which a transaction looking up its statements may hold.
	st, err := c.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil // the unprepared call will report the error
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.stmts[query]; ok {
		_ = st.Close()
		return prev
	}
	c.stmts[query] = st
	return st
}
