package files

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"guichet/internal/kernel/db"
)

// Backend is where the file bodies of every bucket live: one capability's
// uploads ("fichiers"), the collectivités' logos ("logos").
type Backend interface {
	// Bucket returns the storage of one bucket.
	Bucket(name string) (Storage, error)
	// String names the backend for the operator ("database", "local:…").
	String() string
}

// Choice names a backend, as the --files setting gives it: "local",
// "database" or "s3://…"; "" is local on SQLite (one machine) and the
// database on PostgreSQL (every node reads what any node wrote).
func OpenBackend(choice string, d *db.DB, dataDir string) (Backend, error) {
	switch {
	case choice == "" && d.Dialect() == db.Postgres, choice == "database":
		return DatabaseBackend{d}, nil
	case choice == "", choice == "local":
		return LocalBackend{dataDir}, nil
	case strings.HasPrefix(choice, "s3://"):
		return OpenS3(choice)
	}
	return nil, fmt.Errorf("files: unknown store %q (want local, database or s3://bucket?endpoint=…)", choice)
}

var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// checkBucket refuses a bucket name that a store could read as a path
// (one comes from an archive being restored).
func checkBucket(name string) error {
	if !bucketName.MatchString(name) {
		return fmt.Errorf("files: invalid bucket %q", name)
	}
	return nil
}

// LocalBackend keeps each bucket in a folder of the data directory.
type LocalBackend struct{ Dir string }

// Bucket returns the folder of name, creating it.
func (b LocalBackend) Bucket(name string) (Storage, error) {
	if err := checkBucket(name); err != nil {
		return nil, err
	}
	return NewLocal(filepath.Join(b.Dir, name))
}

func (b LocalBackend) String() string { return "local:" + b.Dir }

// DatabaseBackend keeps the bodies in the file_bodies table.
type DatabaseBackend struct{ DB *db.DB }

// Bucket returns the rows of name.
func (b DatabaseBackend) Bucket(name string) (Storage, error) {
	if err := checkBucket(name); err != nil {
		return nil, err
	}
	return &Database{d: b.DB, bucket: name}, nil
}

func (b DatabaseBackend) String() string { return "database" }
