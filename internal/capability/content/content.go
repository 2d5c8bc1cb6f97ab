// Package content is the local information of a collectivité: news,
// events with registrations, practical pages, urgent alerts and their
// email subscribers. Published items
// are kept in the search index in the same transaction as their rows.
package content

import (
	"context"
	"time"

	"guichet"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/jobs"
	"guichet/internal/kernel/mail"
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// Migrations creates the content tables: publishing's shared "content"
// set, which this capability lists for all that publish in it.
var Migrations = publishing.ContentTables

// Statuses of news, events and pages: publishing's.
const (
	StatusDraft       = publishing.StatusDraft
	StatusPublished   = publishing.StatusPublished
	StatusUnpublished = publishing.StatusUnpublished
)

// Kinds of indexed documents, also used in revisions.
const (
	KindNews  = "news"
	KindEvent = "event"
	KindPage  = "page"
)

// ErrNotFound is returned for any item missing from the request's
// collectivité, whether it exists elsewhere or not.
var ErrNotFound = guichet.Errorf(guichet.ENotFound, "Contenu introuvable.")

// Store reads and writes a collectivité's content and keeps the search
// index up to date.
type Store struct {
	db     *db.DB
	Search *search.Index
	mail   mail.Enqueuer
	jobs   *jobs.Queue
	// Now is the store's clock; tests move it.
	Now func() time.Time
	// changes hears of every write that changes what the public sees (the
	// web layer's caches of the home page and banners listen there).
	changes *invalidate.Bus
}

// NewStore returns the content store; mailer sends alerts and
// confirmations (nil in tests that send none).
func NewStore(d *db.DB, mailer mail.Enqueuer) *Store {
	s := &Store{db: d, Search: search.New(d), mail: mailer, Now: clock.System}
	s.Search.Now = func() time.Time { return s.Now() } // published_at is on the store's clock
	s.changes = invalidate.New()
	return s
}

// Join announces the store's changes on b; caches of content register on
// the store's seam, so join before creating them.
func (s *Store) Join(b *invalidate.Bus) { s.changes = b }

// Changes returns the seam the store announces its changes on.
func (s *Store) Changes() *invalidate.Bus { return s.changes }

// DB returns the store's database.
func (s *Store) DB() *db.DB { return s.db }

func (s *Store) now() time.Time { return s.Now().UTC().Truncate(time.Second) }

// changed announces, once committed, that what tenantID's public sees changed.
func (s *Store) changed(ctx context.Context, tenantID string) {
	s.changes.Changed(ctx, invalidate.Change{Kind: invalidate.Content, TenantID: tenantID})
}
