package db

import (
	"context"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

// Migrations is one domain's embedded folder of forward-only SQL files,
// named NNNN_what.sql and applied in name order.
type Migrations struct {
	Domain string
	Files  fs.FS
}

// Portable SQL is written in PostgreSQL's types; SQLite gets these
// replacements so that its driver maps times back to time.Time.
var sqliteTypes = strings.NewReplacer("TIMESTAMPTZ", "TIMESTAMP", "BYTEA", "BLOB")

// Migrate applies every migration not yet recorded, each in its own
// transaction, domain by domain in the order given; a set listed twice
// is applied once.
func (d *DB) Migrate(ctx context.Context, sets []Migrations) error {
	if d.dialect == Postgres {
		// Nodes started together would apply the same migration twice:
		// one migrates while the others wait, then find nothing left.
		unlock, err := d.Lock(ctx, "guichet-migrate/"+d.Schema)
		if err != nil {
			return err
		}
		defer unlock()
	}
	if _, err := d.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
		return fmt.Errorf("db: migrations table: %w", err)
	}
	done, err := d.appliedMigrations(ctx)
	if err != nil {
		return err
	}
	for _, set := range sets {
		names, err := fs.Glob(set.Files, "*.sql")
		if err != nil {
			return fmt.Errorf("db: list %s migrations: %w", set.Domain, err)
		}
		sort.Strings(names)
		for _, name := range names {
			key := migrationKey(set.Domain, name)
			if done[key] || !d.forThisEngine(name) {
				continue
			}
			if err := d.applyMigration(ctx, set.Files, name, key); err != nil {
				return err
			}
			done[key] = true // a set several capabilities share is listed by each
		}
	}
	return nil
}

func (d *DB) appliedMigrations(ctx context.Context) (map[string]bool, error) {
	rows, err := d.Query(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("db: read migrations: %w", err)
	}
	defer rows.Close()
	done := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		done[name] = true
	}
	return done, rows.Err()
}

func (d *DB) applyMigration(ctx context.Context, files fs.FS, name, key string) error {
	body, err := fs.ReadFile(files, name)
	if err != nil {
		return fmt.Errorf("db: read migration %s: %w", key, err)
	}
	sqlText := string(body)
	if d.dialect == SQLite {
		sqlText = sqliteTypes.Replace(sqlText)
	}
	return d.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.tx.ExecContext(ctx, sqlText); err != nil {
			return fmt.Errorf("db: migration %s: %w", key, err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, key, time.Now().UTC())
		return err
	})
}

// forThisEngine reports whether a migration file applies here: one named
// "….postgres.sql" or "….sqlite.sql" holds what only that engine writes
// alike (triggers); every other file is portable.
func (d *DB) forThisEngine(name string) bool {
	switch {
	case strings.HasSuffix(name, ".postgres.sql"):
		return d.dialect == Postgres
	case strings.HasSuffix(name, ".sqlite.sql"):
		return d.dialect == SQLite
	}
	return true
}

// migrationKey names a migration as schema_migrations records it: one
// engine's file is recorded under the portable name, so that a backup
// moves between engines (both hold "council/0002_frozen_acts.sql").
func migrationKey(domain, name string) string {
	base := path.Base(name)
	for _, engine := range []string{".postgres.sql", ".sqlite.sql"} {
		if strings.HasSuffix(base, engine) {
			base = strings.TrimSuffix(base, engine) + ".sql"
		}
	}
	return domain + "/" + base
}

// Pending returns how many of the given migrations are not applied yet; the
// readiness probe wants zero.
func (d *DB) Pending(ctx context.Context, sets []Migrations) (int, error) {
	done, err := d.appliedMigrations(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, set := range sets {
		names, _ := fs.Glob(set.Files, "*.sql")
		for _, name := range names {
			if key := migrationKey(set.Domain, name); !done[key] && d.forThisEngine(name) {
				done[key] = true
				n++
			}
		}
	}
	return n, nil
}

// Embedded returns a domain's migrations from the "migrations" folder of
// its embedded files (declared with //go:embed migrations/*.sql).
func Embedded(domain string, files fs.FS) Migrations {
	sub, err := fs.Sub(files, "migrations")
	if err != nil {
		panic(err) // fs.Sub fails only on an invalid literal path
	}
	return Migrations{Domain: domain, Files: sub}
}

// Lock holds PostgreSQL's session lock named name on a connection of its
// own until unlock is called: one node at a time past it. On SQLite, one
// process owns the file, and it does nothing.
func (d *DB) Lock(ctx context.Context, name string) (unlock func(), err error) {
	if d.dialect != Postgres {
		return func() {}, nil
	}
	conn, err := d.Pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: lock %s: %w", name, err)
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	key := int64(h.Sum64())
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		conn.Release()
		return nil, fmt.Errorf("db: lock %s: %w", name, err)
	}
	return func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key)
		conn.Release()
	}, nil
}
