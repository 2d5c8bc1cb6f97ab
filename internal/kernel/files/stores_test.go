package files

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// storeContract is what every store must do, run against each one.
func storeContract(t *testing.T, s Storage) {
	ctx := context.Background()
	if _, err := s.Put(ctx, "../../etc/passwd", bytes.NewReader([]byte("x"))); err == nil {
		t.Fatal("a key with a path must be refused")
	}
	body := make([]byte, 300<<10) // larger than one read buffer
	_, _ = rand.Read(body)
	keys := []string{"cccc0000aaaa", "aaaa0000bbbb", "bbbb0000cccc"}
	for _, k := range keys {
		if n, err := s.Put(ctx, k, bytes.NewReader(body)); err != nil || n != int64(len(body)) {
			t.Fatalf("put %s: %d, %v", k, n, err)
		}
	}
	// Putting again replaces.
	if _, err := s.Put(ctx, keys[0], bytes.NewReader([]byte("remplacé"))); err != nil {
		t.Fatal(err)
	}
	r, err := s.Open(ctx, keys[1])
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(r)
	r.Close()
	if !bytes.Equal(got, body) {
		t.Fatalf("read %d bytes, not the %d written", len(got), len(body))
	}
	if n, err := s.Size(ctx, keys[0]); err != nil || n != int64(len("remplacé")) {
		t.Errorf("size after replacing: %d, %v", n, err)
	}
	var listed []string
	for k, err := range s.Keys(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, k)
	}
	want := slices.Sorted(slices.Values(keys))
	if !slices.Equal(listed, want) {
		t.Errorf("keys %v, want %v", listed, want)
	}
	if err := s.Delete(ctx, keys[2]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, keys[2]); !errors.Is(err, ErrNotFound) {
		t.Errorf("open after delete: %v, want ErrNotFound", err)
	}
	if _, err := s.Size(ctx, keys[2]); !errors.Is(err, ErrNotFound) {
		t.Errorf("size after delete: %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, keys[2]); err != nil {
		t.Errorf("deleting twice must be fine: %v", err)
	}
}

func TestLocalStore(t *testing.T) {
	t.Parallel()
	s, err := LocalBackend{t.TempDir()}.Bucket("fichiers")
	if err != nil {
		t.Fatal(err)
	}
	storeContract(t, s)
}

func TestDatabaseStore(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{Migrations}, func(t *testing.T, d *db.DB) {
		t.Parallel()
		b := DatabaseBackend{d}
		s, _ := b.Bucket("fichiers")
		storeContract(t, s)
		// Buckets are apart.
		other, _ := b.Bucket("logos")
		if _, err := other.Open(context.Background(), "aaaa0000bbbb"); !errors.Is(err, ErrNotFound) {
			t.Errorf("another bucket read a file: %v", err)
		}
	})
}

// TestS3Store runs against the S3-compatible server scripts/test starts
// (GUICHET_TEST_S3=s3://bucket?endpoint=…&insecure=1); the full suite
// requires it.
func TestS3Store(t *testing.T) {
	t.Parallel()
	url := os.Getenv("GUICHET_TEST_S3")
	if url == "" {
		if os.Getenv("GUICHET_TEST_REQUIRE_S3") == "1" {
			t.Fatal("GUICHET_TEST_REQUIRE_S3=1 but GUICHET_TEST_S3 is empty")
		}
		t.Skip("no S3-compatible server: set GUICHET_TEST_S3=s3://bucket?endpoint=host:port&insecure=1")
	}
	b, err := OpenS3(url)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.EnsureBucket(context.Background()); err != nil {
		t.Fatal(err)
	}
	var id [6]byte
	_, _ = rand.Read(id[:])
	s, _ := b.Bucket("test-" + hex.EncodeToString(id[:])) // apart from other runs
	storeContract(t, s)
}

// A bucket name from an archive cannot lead outside the store.
func TestBucketNamesAreNotPaths(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"../../etc", "fichiers/../..", "", ".", "Fichiers"} {
		if _, err := (LocalBackend{t.TempDir()}).Bucket(name); err == nil {
			t.Errorf("bucket %q accepted", name)
		}
	}
	if _, err := (LocalBackend{t.TempDir()}).Bucket("fichiers"); err != nil {
		t.Error(err)
	}
}

func TestOpenBackendChoosesByDatabase(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, nil, func(t *testing.T, d *db.DB) {
		b, err := OpenBackend("", d, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		_, local := b.(LocalBackend)
		if want := d.Dialect() == db.SQLite; local != want {
			t.Errorf("%s: default store %s", d.Dialect(), b)
		}
		if _, err := OpenBackend("ftp://x", d, ""); err == nil {
			t.Error("an unknown store must be refused")
		}
	})
}

// A copy interrupted half-way and run again copies the rest only, and
// the destination then holds every body byte for byte.
func TestCopyBetweenBackendsResumes(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		from, to := LocalBackend{t.TempDir()}, DatabaseBackend{d}
		bodies := map[string][]byte{}
		for i, bucket := range []string{"fichiers", "logos"} {
			s, _ := from.Bucket(bucket)
			for j := range 5 {
				key := fmt.Sprintf("%s-%08d", bucket[:4], i*10+j)
				body := make([]byte, 1000+j)
				_, _ = rand.Read(body)
				bodies[bucket+"/"+key] = body
				if _, err := s.Put(ctx, key, bytes.NewReader(body)); err != nil {
					t.Fatal(err)
				}
			}
		}
		// The first run stops after three files.
		stopped, stop := context.WithCancel(ctx)
		_, err := Copy(stopped, from, to, []string{"fichiers", "logos"}, func(done, total int) {
			if done == 3 {
				stop()
			}
		})
		if err == nil {
			t.Fatal("a cancelled copy reported success")
		}
		var seen []int
		m, err := Copy(ctx, from, to, []string{"fichiers", "logos"}, func(done, total int) { seen = append(seen, done, total) })
		if err != nil {
			t.Fatal(err)
		}
		if m.Present != 3 || m.Copied != 7 {
			t.Errorf("second run: %+v; want 3 present and 7 copied", m)
		}
		if len(seen) < 2 || seen[len(seen)-2] != 10 || seen[len(seen)-1] != 10 {
			t.Errorf("progress %v; want it to end at 10 of 10", seen)
		}
		for name, want := range bodies {
			bucket, key, _ := strings.Cut(name, "/")
			s, _ := to.Bucket(bucket)
			r, err := s.Open(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(r)
			r.Close()
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs after the copy", name)
			}
		}
		if _, err := Copy(ctx, to, to, []string{"logos"}, nil); err == nil {
			t.Error("copying a store onto itself must be refused")
		}
	})
}
