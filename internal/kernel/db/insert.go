package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Execer runs statements: a *DB or a *Tx.
type Execer interface {
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// maxInsertParams bounds the placeholders of one statement, well under
// SQLite's 32,766 and PostgreSQL's 65,535.
const maxInsertParams = 30000

// InsertMany inserts rows into table, many rows per statement: values
// holds len(columns) values per row, one row after the other. Statements
// come in a few sizes only (a full one, then 64, 16, 4 and 1 rows), so
// that few prepared statements are kept whatever the number of rows.
func InsertMany(ctx context.Context, q Execer, table string, columns []string, values []any) error {
	return insertRows(ctx, q, table, columns, values, "")
}

func insertRows(ctx context.Context, q Execer, table string, columns []string, values []any, suffix string) error {
	width := len(columns)
	if width == 0 || len(values)%width != 0 {
		return fmt.Errorf("db: insert into %s: %d values for %d columns", table, len(values), width)
	}
	rows := len(values) / width
	full := max(1, maxInsertParams/width)
	for rows > 0 {
		n := full
		for _, size := range []int{full, 64, 16, 4, 1} {
			if size <= full && size <= rows {
				n = size
				break
			}
		}
		if _, err := q.Exec(ctx, insertSQL(table, columns, n)+suffix, values[:n*width]...); err != nil {
			return fmt.Errorf("db: insert into %s: %w", table, err)
		}
		values, rows = values[n*width:], rows-n
	}
	return nil
}

func insertSQL(table string, columns []string, rows int) string {
	row := "(" + strings.Repeat("?, ", len(columns)-1) + "?)"
	var b strings.Builder
	b.Grow(len(table) + 32 + rows*(len(row)+2))
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}

// InsertNew is InsertMany for rows that may already be there: a row whose
// key exists is left as it is.
func InsertNew(ctx context.Context, q Execer, table string, columns []string, values []any) error {
	return insertRows(ctx, q, table, columns, values, " ON CONFLICT DO NOTHING")
}
