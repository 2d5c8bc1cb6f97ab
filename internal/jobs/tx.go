package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"guichet/internal/db"
)

// Tx is a transaction in which a domain writes its rows and inserts jobs
// together: the jobs exist if and only if the rows were committed.
type Tx struct {
	q   *Queue
	lTx *db.Tx // SQLite
	pTx pgx.Tx // PostgreSQL
}

// Row is one result row to scan.
type Row interface{ Scan(dest ...any) error }

// InTx runs fn in a transaction, committing when it returns nil. On SQLite
// the transaction holds the only writer connection: fn must write through
// tx alone, never through the *db.DB.
func (q *Queue) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	tx := &Tx{q: q}
	var err error
	if q.lite != nil {
		tx.lTx, err = q.db.Begin(ctx)
	} else {
		tx.pTx, err = q.db.Pool.Begin(ctx)
	}
	if err != nil {
		return fmt.Errorf("jobs: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, tx.rollback(ctx))
	}
	if err := tx.commit(ctx); err != nil {
		return fmt.Errorf("jobs: commit: %w", err)
	}
	return nil
}

func (t *Tx) rollback(ctx context.Context) error {
	var err error
	if t.lTx != nil {
		err = t.lTx.Rollback()
	} else {
		err = t.pTx.Rollback(context.WithoutCancel(ctx))
	}
	if errors.Is(err, sql.ErrTxDone) || errors.Is(err, pgx.ErrTxClosed) {
		return nil
	}
	return err
}

func (t *Tx) commit(ctx context.Context) error {
	if t.lTx != nil {
		return t.lTx.Commit()
	}
	return t.pTx.Commit(ctx)
}

// Exec runs a statement written with portable "?" placeholders and returns
// the number of rows it touched.
func (t *Tx) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	if t.lTx != nil {
		res, err := t.lTx.Exec(ctx, query, args...)
		if err != nil {
			return 0, err
		}
		return res.RowsAffected()
	}
	tag, err := t.pTx.Exec(ctx, rebind(query), args...)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

// QueryRow runs a one-row query written with "?" placeholders.
func (t *Tx) QueryRow(ctx context.Context, query string, args ...any) Row {
	if t.lTx != nil {
		return t.lTx.QueryRow(ctx, query, args...)
	}
	return t.pTx.QueryRow(ctx, rebind(query), args...)
}

// Each runs a query written with "?" placeholders and calls each on
// every row, stopping at its first error.
func (t *Tx) Each(ctx context.Context, query string, each func(Row) error, args ...any) error {
	if t.lTx != nil {
		rows, err := t.lTx.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		return eachRow(rows, each)
	}
	rows, err := t.pTx.Query(ctx, rebind(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	return eachRow(rows, each)
}

// rows is what *sql.Rows and pgx.Rows share.
type rows interface {
	Row
	Next() bool
	Err() error
}

func eachRow(r rows, each func(Row) error) error {
	for r.Next() {
		if err := each(r); err != nil {
			return err
		}
	}
	return r.Err()
}

// Dialect returns the SQL engine of the transaction.
func (t *Tx) Dialect() db.Dialect { return t.q.db.Dialect() }

// Insert adds a job that becomes visible to workers when the transaction
// commits, and returns its id.
func (t *Tx) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (int64, error) {
	var id int64
	if t.lTx != nil {
		res, err := t.q.lite.InsertTx(ctx, t.lTx.SQL(), args, opts)
		if err != nil {
			return 0, fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
		}
		id = res.Job.ID
	} else {
		res, err := t.q.pg.InsertTx(ctx, t.pTx, args, opts)
		if err != nil {
			return 0, fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
		}
		id = res.Job.ID
	}
	return id, nil
}

// InsertMany adds jobs in one statement; they become visible to workers
// when the transaction commits.
func (t *Tx) InsertMany(ctx context.Context, args []river.JobArgs) error {
	if len(args) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(args))
	for i, a := range args {
		params[i] = river.InsertManyParams{Args: a}
	}
	var err error
	if t.lTx != nil {
		_, err = t.q.lite.InsertManyFastTx(ctx, t.lTx.SQL(), params)
	} else {
		_, err = t.q.pg.InsertManyFastTx(ctx, t.pTx, params)
	}
	if err != nil {
		return fmt.Errorf("jobs: insert %d %s: %w", len(args), args[0].Kind(), err)
	}
	return nil
}

// rebind turns "?" placeholders into PostgreSQL's "$n", leaving quoted
// literals alone.
func rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	n, quoted := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c == '\'' {
			quoted = !quoted
		}
		if c == '?' && !quoted {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
