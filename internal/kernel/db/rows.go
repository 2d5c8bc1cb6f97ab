package db

import "context"

// Row is one result row to scan: a *sql.Row or the current row of *sql.Rows.
type Row interface{ Scan(dest ...any) error }

// Each runs query on q and calls each on every row, stopping at its first
// error.
func Each(ctx context.Context, q Querier, query string, each func(Row) error, args ...any) error {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Affected runs a statement on e and returns the number of rows it touched.
func Affected(ctx context.Context, e Execer, query string, args ...any) (int64, error) {
	res, err := e.Exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
