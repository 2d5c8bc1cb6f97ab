package participation

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"guichet/internal/kernel"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/mail"
)

// Store keeps a collectivité's spaces, threads, messages, polls and
// their moderation; every query filters by tenant_id, except the
// retention's.
type Store struct {
	db *db.DB
	// Now is the clock every rule reads.
	Now clock.Clock
	// Mail queues the mails (a hidden message's author, an appeal's
	// answer), in the transaction that records their cause.
	Mail mail.TxEnqueuer
	// Links gives the site's address for the mails' links.
	Links kernel.Links
}

// NewStore returns the store.
func NewStore(d *db.DB) *Store { return &Store{db: d, Now: clock.System} }

// DB returns the store's database.
func (s *Store) DB() *db.DB { return s.db }

func (s *Store) now() time.Time { return s.Now().UTC() }

// notFound turns sql.ErrNoRows into ErrNotFound and wraps the rest.
func notFound(what string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return fmt.Errorf("participation: %s: %w", what, err)
}
