package files

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"iter"
	"time"

	"guichet/internal/kernel/db"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations are the table of the files kept in the database.
var Migrations = db.Embedded("files", migrationFiles)

// Database keeps file bodies in a table of the database every node
// shares. A body is read whole into memory: uploads are bounded by the
// forms' body limits (a few megabytes), far below what a row holds.
type Database struct {
	d      *db.DB
	bucket string
}

// Put stores r's bytes under key, replacing an earlier body.
func (s *Database) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	if !safeKey.MatchString(key) {
		return 0, fmt.Errorf("files: invalid key %q", key)
	}
	body, err := io.ReadAll(r)
	if err != nil {
		return 0, fmt.Errorf("files: read %s: %w", key, err)
	}
	_, err = s.d.Exec(ctx, `INSERT INTO file_bodies (bucket, key, size, body, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (bucket, key) DO UPDATE SET size = excluded.size, body = excluded.body, created_at = excluded.created_at`,
		s.bucket, key, len(body), body, time.Now().UTC())
	if err != nil {
		return 0, fmt.Errorf("files: write %s: %w", key, err)
	}
	return int64(len(body)), nil
}

// Open returns the body stored under key.
func (s *Database) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	var body []byte
	err := s.d.QueryRow(ctx, `SELECT body FROM file_bodies WHERE bucket = ? AND key = ?`, s.bucket, key).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("files: read %s: %w", key, err)
	}
	return io.NopCloser(bytes.NewReader(body)), nil
}

// Size returns the size of the body under key.
func (s *Database) Size(ctx context.Context, key string) (int64, error) {
	var n int64
	err := s.d.QueryRow(ctx, `SELECT size FROM file_bodies WHERE bucket = ? AND key = ?`, s.bucket, key).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return n, err
}

// Delete removes key; a missing key is not an error.
func (s *Database) Delete(ctx context.Context, key string) error {
	if _, err := s.d.Exec(ctx, `DELETE FROM file_bodies WHERE bucket = ? AND key = ?`, s.bucket, key); err != nil {
		return fmt.Errorf("files: delete %s: %w", key, err)
	}
	return nil
}

// Keys lists the bucket's keys in order, a page at a time.
func (s *Database) Keys(ctx context.Context) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		after := ""
		for {
			keys, err := s.page(ctx, after)
			if err != nil {
				yield("", err)
				return
			}
			for _, k := range keys {
				if !yield(k, nil) {
					return
				}
			}
			if len(keys) < keysPage {
				return
			}
			after = keys[len(keys)-1]
		}
	}
}

const keysPage = 500

func (s *Database) page(ctx context.Context, after string) ([]string, error) {
	rows, err := s.d.Query(ctx, `SELECT key FROM file_bodies WHERE bucket = ? AND key > ? ORDER BY key LIMIT ?`,
		s.bucket, after, keysPage)
	if err != nil {
		return nil, fmt.Errorf("files: list: %w", err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}
