// Package search is Guichet's French-aware full-text search: an inverted
// index of stemmed, accent-folded terms kept in ordinary tables, queried
// with the same SQL on SQLite and PostgreSQL so that both return the same
// ranked results.
package search

import (
	"embed"
	"io/fs"
	"sync"
	"time"

	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the index tables.
var Migrations = db.Migrations{Domain: "search", Files: mustSub(migrationFiles, "migrations")}

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // the folder is embedded: a build error, not a runtime one
	}
	return sub
}

// Doc is one searchable document: a news item, an event, a page, a
// question. Kind and ID together make its key.
type Doc struct {
	TenantID    string
	Kind        string
	ID          string
	Title       string
	URL         string
	Body        string // plain text
	PublishedAt time.Time
	// ExpiresAt, when set, is when the document stops being found: an
	// alert that ends.
	ExpiresAt time.Time
}

// Key returns the document's key in the index, "kind:id".
func (d Doc) Key() string { return d.Kind + ":" + d.ID }

// Hit is one result: the document, its score and an excerpt whose
// matching words are marked.
type Hit struct {
	Kind, ID, Title, URL string
	PublishedAt          time.Time
	// Matched counts the query's words the document holds, Score their
	// weights: hits holding every word come first.
	Matched, Score int
	// AllWords is true when the document holds every word of the query,
	// InTitle when its title alone does: a direct answer.
	AllWords, InTitle bool
	Excerpt           []Segment
	TitleParts        []Segment
}

// never is the expiry of documents that do not expire: a date, not NULL,
// so that one comparison in the postings' index filters both.
var never = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// expiry returns when d stops being found.
func (d Doc) expiry() time.Time {
	if d.ExpiresAt.IsZero() {
		return never
	}
	return d.ExpiresAt.UTC()
}

// Segment is a piece of an excerpt; Mark is true for a matching word.
type Segment struct {
	Text string
	Mark bool
}

// Index reads and writes the search index.
type Index struct {
	db *db.DB
	// Now is the clock: documents dated later are not found yet.
	Now clock.Clock
	// sizes caches each collectivité's number of documents (size).
	sizes sync.Map
}

// New returns the index on d.
func New(d *db.DB) *Index { return &Index{db: d, Now: clock.System} }
