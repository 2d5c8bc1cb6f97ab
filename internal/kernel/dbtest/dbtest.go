// Package dbtest runs a test against every configured database: SQLite
// always, PostgreSQL when GUICHET_TEST_POSTGRES holds a URL.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"guichet/internal/kernel/db"
)

// PostgresURL returns the PostgreSQL server to test against, or "" to skip
// it. With GUICHET_TEST_REQUIRE_POSTGRES=1 (the full suite) a missing URL fails.
func PostgresURL(t testing.TB) string {
	u := os.Getenv("GUICHET_TEST_POSTGRES")
	if u == "" && os.Getenv("GUICHET_TEST_REQUIRE_POSTGRES") == "1" {
		t.Fatal("GUICHET_TEST_REQUIRE_POSTGRES=1 but GUICHET_TEST_POSTGRES is empty")
	}
	return u
}

// URLs returns a fresh database URL per engine: a temporary SQLite file and,
// when configured, a new PostgreSQL schema dropped at the end of the test.
func URLs(t testing.TB) map[db.Dialect]string {
	urls := map[db.Dialect]string{db.SQLite: "sqlite:" + filepath.Join(t.TempDir(), "guichet.db")}
	if pg := PostgresURL(t); pg != "" {
		urls[db.Postgres] = pg + sep(pg) + "schema=" + freshSchema(t, pg)
	}
	return urls
}

func sep(u string) string {
	for _, c := range u {
		if c == '?' {
			return "&"
		}
	}
	return "?"
}

func freshSchema(t testing.TB, pg string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "test_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		d, err := db.Open(context.Background(), pg)
		if err != nil {
			return
		}
		defer d.Close()
		_, _ = d.Exec(context.Background(), `DROP SCHEMA IF EXISTS `+schema+` CASCADE`)
	})
	return schema
}

// Each runs fn once per engine on a fresh, migrated database; PostgreSQL is
// reported as skipped when not configured.
func Each(t *testing.T, sets []db.Migrations, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	urls := URLs(t)
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			u, ok := urls[dialect]
			if !ok {
				t.Skip("PostgreSQL not configured: set GUICHET_TEST_POSTGRES=postgres://…")
			}
			fn(t, Open(t, u, sets))
		})
	}
}

// Open opens and migrates the database at url, closing it when t ends.
func Open(t testing.TB, url string, sets []db.Migrations) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, url)
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx, sets); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return d
}
