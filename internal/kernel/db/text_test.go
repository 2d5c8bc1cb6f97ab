package db_test

import (
	"context"
	"strconv"
	"testing"
	"testing/fstest"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

var notes = db.Migrations{Domain: "notes", Files: fstest.MapFS{
	"0001_notes.sql": {Data: []byte(`CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL);`)},
}}

type status string // a string type, as domains declare them

// TestTextIsStoredAlikeOnBothEngines writes text as forms let it through,
// with bytes that are not UTF-8 and NUL characters: PostgreSQL stores it
// instead of failing, SQLite stores the same, and a lookup with the text
// as typed finds it.
func TestTextIsStoredAlikeOnBothEngines(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{notes}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for i, c := range []struct {
			in   any
			want string
		}{
			{"Léa Dubois", "Léa Dubois"},
			{"Nom\xff\xfe", "Nom\uFFFD"},
			{"a\x00b", "a\uFFFDb"},
			{status("brouillon\xc3"), "brouillon\uFFFD"},
		} {
			id := strconv.Itoa(i)
			if _, err := d.Exec(ctx, `INSERT INTO notes (id, body) VALUES (?, ?)`, id, c.in); err != nil {
				t.Fatalf("insert %q: %v", c.in, err)
			}
			var got string
			if err := d.QueryRow(ctx, `SELECT body FROM notes WHERE id = ? AND body = ?`, id, c.in).Scan(&got); err != nil {
				t.Fatalf("read %q: %v", c.in, err)
			}
			if got != c.want {
				t.Errorf("%q stored as %q, want %q", c.in, got, c.want)
			}
		}
	})
}

// FuzzStoredText checks that any text reads back from both engines as
// StorableText makes it, and that a lookup with the text as typed finds
// it, within a transaction as outside.
func FuzzStoredText(f *testing.F) {
	for _, s := range []string{"Léa Dubois", "Nom\xff", "a\x00b", "\xc3", "日本語", "\U0010FFFF", "\xed\xa0\x80", ""} {
		f.Add(s)
	}
	var dbs []*db.DB
	for _, u := range dbtest.URLs(f) {
		dbs = append(dbs, dbtest.Open(f, u, []db.Migrations{notes}))
	}
	n := 0
	f.Fuzz(func(t *testing.T, s string) {
		ctx := context.Background()
		for _, d := range dbs {
			n++
			id := strconv.Itoa(n)
			err := d.InTx(ctx, func(tx *db.Tx) error {
				_, err := tx.Exec(ctx, `INSERT INTO notes (id, body) VALUES (?, ?)`, id, s)
				return err
			})
			if err != nil {
				t.Fatalf("%s: insert %q: %v", d.Dialect(), s, err)
			}
			var got string
			if err := d.QueryRow(ctx, `SELECT body FROM notes WHERE id = ? AND body = ?`, id, s).Scan(&got); err != nil {
				t.Fatalf("%s: read %q: %v", d.Dialect(), s, err)
			}
			if got != db.StorableText(s) {
				t.Fatalf("%s: %q stored as %q, want %q", d.Dialect(), s, got, db.StorableText(s))
			}
			if _, err := d.Exec(ctx, `DELETE FROM notes WHERE id = ?`, id); err != nil {
				t.Fatal(err)
			}
		}
	})
}
