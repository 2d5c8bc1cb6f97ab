// Package content is the local information of a collectivité: news,
// events with registrations, practical pages, urgent alerts and their
// email subscribers. Published items
// are kept in the search index in the same transaction as their rows.
package news

import (
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
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
	Kind = "news"
)

// ErrNotFound is returned for any item missing from the request's
// collectivité, whether it exists elsewhere or not.
var ErrNotFound = publishing.ErrNotFound

// Store reads and writes a collectivité's content and keeps the search
// index up to date.
type Store struct{ *publishing.Desk }

// NewStore returns the content store.
func NewStore(d *db.DB) *Store { return &Store{Desk: publishing.NewDesk(d, nil)} }
