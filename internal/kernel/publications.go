package kernel

import (
	"context"
	"slices"
	"time"
)

// Publication is an item a capability published for everyone (a news
// item, an event, an alert), as the capabilities that carry it elsewhere
// read it: the fediverse, the newsletter's blocks, the other accounts of
// the collectivité.
type Publication struct {
	Kind string // the source's kind: "news", "event", "alert"
	ID   string
	// Title and Summary are plain text; Body is Markdown (may be empty).
	Title, Summary, Body string
	// Path is the item's page, relative to the collectivité's site.
	Path string
	// Published is when it became public (its publication date).
	Published time.Time
	Updated   time.Time
	// Image is a site-relative address of its picture, ImageAlt its
	// alternative text; both empty when it has none.
	Image, ImageAlt string
	Lang            string // "fr" unless said
	// Starts and Ends are an event's dates (the first, for a recurring
	// one), or an alert's period.
	Starts, Ends time.Time
	// Place is where an event happens.
	Place string
	// Severity is an alert's level ("info", "warning", "urgent").
	Severity string
	// Area is the neighbourhood an alert concerns, empty for the whole
	// collectivité.
	Area string
	// Category is an event's category ("culture", "sport", …).
	Category string
}

// PublicationSource lists what one capability has published.
type PublicationSource struct {
	Kind string
	// Published lists the items public at to whose publication date is
	// in [from, to], oldest first, at most limit.
	Published func(ctx context.Context, tenantID string, from, to time.Time, limit int) ([]Publication, error)
	// Recent lists the latest items public at now, newest first, at most
	// limit (what an editor picks from).
	Recent func(ctx context.Context, tenantID string, now time.Time, limit int) ([]Publication, error)
	// Get returns one item public at now; guichet.ENotFound otherwise.
	Get func(ctx context.Context, tenantID, id string, now time.Time) (Publication, error)
}

// AddPublications registers what a capability publishes, for the
// capabilities that carry publications elsewhere.
func (k *Kernel) AddPublications(s PublicationSource) {
	k.publications = append(k.publications, s)
}

// Publications returns the sources registered, in the order installed.
func (k *Kernel) Publications() []PublicationSource { return slices.Clone(k.publications) }

// PublicationsOf returns the source of kind, and false when no installed
// capability publishes it.
func (k *Kernel) PublicationsOf(kind string) (PublicationSource, bool) {
	for _, s := range k.publications {
		if s.Kind == kind {
			return s, true
		}
	}
	return PublicationSource{}, false
}
