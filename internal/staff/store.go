package staff

import (
	"crypto/sha256"
	"embed"
	"time"

	"guichet/internal/db"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the staff tables; they follow the account migrations
// (staff rows reference users).
var Migrations = db.Embedded("staff", migrationFiles)

// Store reads and writes staff members, invitations, second factors and
// the audit log.
type Store struct {
	db  *db.DB
	key [32]byte // seals TOTP secrets at rest
	// Now is the clock of retention; tests move it.
	Now func() time.Time
}

// NewStore returns a Store on d. secretKey is the server's secret key: TOTP
// secrets are sealed with a key derived from it, so changing it forces
// staff to enrol again.
func NewStore(d *db.DB, secretKey string) *Store {
	return &Store{db: d, key: sha256.Sum256([]byte("guichet/staff/totp\x00" + secretKey)),
		Now: func() time.Time { return time.Now().UTC() }}
}
