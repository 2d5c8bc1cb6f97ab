package network

import (
	"slices"

	"context"
	"embed"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"io/fs"
	"time"

	"guichet"
	"guichet/internal/kernel"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/mail"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the ties', contacts' and campaigns' tables.
var Migrations = db.Embedded("network", migrationFiles)

//go:embed mail
var mailFiles embed.FS

// MailFiles holds the campaigns' email (mail/*.txt), added to the outbox
// as module "network".
func MailFiles() fs.FS { return mailFiles }

// Kind is the network's data on the caches' seam: a change of a
// collectivité's ties drops its measures.
const Kind = invalidate.Network

// DirectoryEntry is an organisation of the directory, as the kernel's
// seam gives it.
type DirectoryEntry = kernel.DirectoryEntry

// Directory reads the collectivité's published organisations: the
// kernel's seam to the directory (kernel.DirectoryEntries).
type Directory func(ctx context.Context, tenantID string) ([]DirectoryEntry, error)

// Store reads and writes a collectivité's ties, contacts and campaigns,
// and keeps the measures of its network.
type Store struct {
	db *db.DB
	// Mail queues the campaigns' messages in their transaction.
	Mail mail.TxEnqueuer
	// Now is the clock every rule reads.
	Now       clock.Clock
	directory Directory
	changes   invalidate.Announcer
	views     *invalidate.Memo
}

// ViewTTL bounds how long a change of the directory (an organisation
// renamed, unpublished) may go unseen by the measures; a change of the
// ties drops them at once.
const ViewTTL = 30 * time.Second

// NewStore returns the network's store reading the organisations from
// dir, its measures kept on the caches' seam bus.
func NewStore(d *db.DB, dir Directory, bus *invalidate.Bus) *Store {
	return &Store{db: d, Now: clock.System, directory: dir, changes: bus,
		views: invalidate.NewMemo(bus, "network-measures", ViewTTL, Kind).Bound(2000)}
}

// DB returns the store's database (tests and fixtures).
func (s *Store) DB() *db.DB { return s.db }

func (s *Store) now() time.Time { return s.Now().UTC() }

// changed tells the caches that a collectivité's ties changed, once the
// transaction that changed them commits.
func (s *Store) changed(ctx context.Context, tx *db.Tx, tenantID string) {
	tx.OnCommit(func() { s.changes.Changed(ctx, invalidate.Change{Kind: Kind, TenantID: tenantID}) })
}

// ErrNotFound is a tie, a contact or a campaign the collectivité does not
// have.
var ErrNotFound = guichet.Errorf(guichet.ENotFound, "Élément introuvable.")

// ErrNotManager refuses an organisation's page to someone who does not
// manage it.
var ErrNotManager = guichet.Errorf(guichet.ENotFound, "Vous ne gérez pas cette organisation.")

// SortByName sorts organisations by name as a French reader expects
// (« École » among the E).
func SortByName(orgs []DirectoryEntry) {
	c := collate.New(language.French, collate.Loose)
	slices.SortStableFunc(orgs, func(a, b DirectoryEntry) int { return c.CompareString(a.Name, b.Name) })
}
