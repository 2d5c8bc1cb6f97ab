package db

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// Snapshot runs fn in a read-only transaction that sees the database as
// it was when it began, whatever commits meanwhile (REPEATABLE READ on
// PostgreSQL; on SQLite, a read transaction of WAL mode), without holding
// writers back: for backups and exports.
func (d *DB) Snapshot(ctx context.Context, fn func(q Querier) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if d.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	stx, err := d.read.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("db: begin snapshot: %w", err)
	}
	defer stx.Rollback()
	return fn(&Tx{tx: stx, db: d})
}

// Column is one column of a table, as the database declares it.
type Column struct {
	Name string
	// Type is the declared type, upper case: TEXT, INTEGER, BOOLEAN,
	// TIMESTAMPTZ (TIMESTAMP on SQLite), BYTEA (BLOB), …
	Type string
}

// Tables returns the tables of the database (of its schema on PostgreSQL)
// with their columns in order, parents before the tables whose foreign
// keys name them.
func (d *DB) Tables(ctx context.Context, q Querier) (map[string][]Column, []string, error) {
	cols := map[string][]Column{}
	parents := map[string][]string{}
	var names []string
	switch d.dialect {
	case Postgres:
		err := Each(ctx, q, `SELECT c.table_name, c.column_name, UPPER(c.data_type) FROM information_schema.columns c
			JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
			WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position`,
			func(r Row) error {
				var table string
				var c Column
				if err := r.Scan(&table, &c.Name, &c.Type); err != nil {
					return err
				}
				cols[table] = append(cols[table], pgType(c))
				return nil
			})
		if err != nil {
			return nil, nil, fmt.Errorf("db: columns: %w", err)
		}
		err = Each(ctx, q, `SELECT DISTINCT child.relname, parent.relname FROM pg_constraint k
			JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
			JOIN pg_namespace n ON n.oid = child.relnamespace
			WHERE k.contype = 'f' AND n.nspname = current_schema()`, func(r Row) error {
			var child, parent string
			if err := r.Scan(&child, &parent); err != nil {
				return err
			}
			parents[child] = append(parents[child], parent)
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("db: foreign keys: %w", err)
		}
	default:
		err := Each(ctx, q, `SELECT m.name, p.name, UPPER(p.type) FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid`, func(r Row) error {
			var table string
			var c Column
			if err := r.Scan(&table, &c.Name, &c.Type); err != nil {
				return err
			}
			cols[table] = append(cols[table], c)
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("db: columns: %w", err)
		}
		err = Each(ctx, q, `SELECT DISTINCT m.name, f."table" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
			WHERE m.type = 'table'`, func(r Row) error {
			var child, parent string
			if err := r.Scan(&child, &parent); err != nil {
				return err
			}
			parents[child] = append(parents[child], parent)
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("db: foreign keys: %w", err)
		}
	}
	for t := range cols {
		names = append(names, t)
	}
	slices.Sort(names)
	return cols, parentsFirst(names, parents), nil
}

// pgType names PostgreSQL's types as the migrations declare them.
func pgType(c Column) Column {
	switch c.Type {
	case "TIMESTAMP WITH TIME ZONE":
		c.Type = "TIMESTAMPTZ"
	case "CHARACTER VARYING":
		c.Type = "TEXT"
	}
	return c
}

// parentsFirst orders tables so that each comes after the tables it
// references (a table referencing itself is kept in place).
func parentsFirst(names []string, parents map[string][]string) []string {
	var out []string
	done := map[string]bool{}
	var visit func(t string, path map[string]bool)
	visit = func(t string, path map[string]bool) {
		if done[t] || path[t] {
			return
		}
		path[t] = true
		for _, p := range parents[t] {
			if p != t {
				visit(p, path)
			}
		}
		done[t] = true
		out = append(out, t)
	}
	for _, t := range names {
		visit(t, map[string]bool{})
	}
	return out
}
