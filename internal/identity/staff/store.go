package staff

import (
	"embed"

	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tokens"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the staff tables; they follow the account migrations
// (staff rows reference users).
var Migrations = db.Embedded("staff", migrationFiles)

//go:embed migrations/0002_audit_chain.sql
var chainMigrationFile embed.FS

// ChainMigration is the one migration that adds the audit chain: the
// server seals the rows written before it (SealLegacy) only in the run
// that applies it.
var ChainMigration = db.Embedded("staff", chainMigrationFile)

// Store reads and writes staff members, invitations, second factors and
// the audit log.
type Store struct {
	db          *db.DB
	key         [32]byte // seals TOTP secrets at rest
	recoveryKey [32]byte // keys what is kept of recovery codes
	auditKey    []byte   // signs the audit chain
	// Now is the clock (TOTP steps, invitations, the audit log and its retention).
	Now clock.Clock
}

// NewStore returns a Store on d. secretKey is the server's secret key: TOTP
// secrets are sealed with a key derived from it and recovery codes kept
// under another, so changing it forces staff to enrol again, and the
// audit chain is signed with a third.
func NewStore(d *db.DB, secretKey string) *Store {
	return &Store{db: d, key: tokens.Key("staff/totp", secretKey),
		recoveryKey: recoveryKey(secretKey), auditKey: auditKey(secretKey), Now: clock.System}
}
