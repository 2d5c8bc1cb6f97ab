// Package files stores uploaded files outside the web root behind a small
// interface (a local folder, the database, an S3-compatible object store)
// and checks what an upload really contains against an allow-list of types.
package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Storage keeps file bodies by key; keys are opaque random strings chosen
// by the caller.
type Storage interface {
	Put(ctx context.Context, key string, r io.Reader) (int64, error)
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Size returns the stored body's length, or ErrNotFound.
	Size(ctx context.Context, key string) (int64, error)
	Delete(ctx context.Context, key string) error
	// Keys lists every key, in order (to move files between stores).
	Keys(ctx context.Context) iter.Seq2[string, error]
}

// ErrNotFound is returned by Open for a missing key.
var ErrNotFound = errors.New("files: not found")

// Local stores files in a folder of the data directory, never served
// directly: only the handlers that check access read them.
type Local struct{ Dir string }

// NewLocal returns a storage in dir, creating it.
func NewLocal(dir string) (*Local, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("files: create %s: %w", dir, err)
	}
	return &Local{Dir: dir}, nil
}

var safeKey = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_-]{7,127}$`)

// ValidKey reports whether key may name a file: 8 to 128 letters, digits,
// '-' and '_', so that no store reads it as a path.
func ValidKey(key string) bool { return safeKey.MatchString(key) }

// path spreads files over sub-folders named by the key's first two
// characters, so that no folder grows too large.
func (l *Local) path(key string) (string, error) {
	if !safeKey.MatchString(key) {
		return "", fmt.Errorf("files: invalid key %q", key)
	}
	return filepath.Join(l.Dir, key[:2], key), nil
}

// Put writes r under key atomically (a temporary file renamed), readable by
// the server's user only.
func (l *Local) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	p, err := l.path(key)
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return 0, fmt.Errorf("files: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".upload-*")
	if err != nil {
		return 0, fmt.Errorf("files: %w", err)
	}
	n, err := io.Copy(tmp, r)
	if err == nil {
		err = tmp.Sync()
	}
	err = errors.Join(err, tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), p)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return 0, fmt.Errorf("files: write %s: %w", key, err)
	}
	return n, nil
}

// Open returns the body stored under key.
func (l *Local) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotFound
	}
	return f, err
}

// Size returns the length of the body under key.
func (l *Local) Size(ctx context.Context, key string) (int64, error) {
	p, err := l.path(key)
	if err != nil {
		return 0, err
	}
	info, err := os.Stat(p)
	if errors.Is(err, os.ErrNotExist) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}

// Keys lists the stored keys, folder by folder (os.ReadDir sorts).
func (l *Local) Keys(ctx context.Context) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		dirs, err := os.ReadDir(l.Dir)
		if err != nil {
			if !errors.Is(err, os.ErrNotExist) {
				yield("", err)
			}
			return
		}
		for _, d := range dirs {
			if !d.IsDir() {
				continue
			}
			entries, err := os.ReadDir(filepath.Join(l.Dir, d.Name()))
			if err != nil {
				yield("", err)
				return
			}
			for _, e := range entries {
				if e.Type().IsRegular() && safeKey.MatchString(e.Name()) && strings.HasPrefix(e.Name(), d.Name()) {
					if !yield(e.Name(), nil) {
						return
					}
				}
			}
		}
	}
}

// Delete removes key; a missing key is not an error.
func (l *Local) Delete(ctx context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("files: delete %s: %w", key, err)
	}
	return nil
}
