// Package directory keeps a collectivité's directory of the institutions
// and places of its territory (schools, transport, shops, associations,
// faith organisations, health services, sports, culture, public
// buildings): each entry's category, address, position, opening hours in
// OpenStreetMap's syntax, contact and accessibility. Organisations manage
// their own entry once an administrator gives an account its management:
// their changes wait in a moderation queue until staff approve or reject
// them. The directory answers the kernel's seam (kernel.DirectorySource)
// for the capabilities that read it, and writes the SCDL équipements
// export.
package directory

import (
	"embed"
	"io/fs"
	"time"

	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the entries', managers' and proposals' tables.
var Migrations = db.Embedded("directory", migrationFiles)

//go:embed mail/*.txt
var mailFiles embed.FS

// MailFiles holds the emails of the moderation (mail/*.txt), added to the
// outbox's registry as module "directory".
func MailFiles() fs.FS { return mailFiles }

// Wheelchair access of a place, as OpenStreetMap's wheelchair key says it.
const (
	WheelchairYes     = "yes"
	WheelchairLimited = "limited"
	WheelchairNo      = "no"
	WheelchairUnknown = "unknown"
)

// WheelchairValues lists them in display order.
var WheelchairValues = []string{WheelchairYes, WheelchairLimited, WheelchairNo, WheelchairUnknown}

// Entry is one institution or place of the directory.
type Entry struct {
	ID, TenantID, Slug, Name string
	// Category is one of kernel.DirectoryCategories; Kind refines it
	// (Kinds): what the SCDL export and schema.org call it.
	Category, Kind string
	// Organisation is true for a body people belong to or work with,
	// false for a mere place.
	Organisation bool
	Summary      string // plain text
	Description  string // Markdown
	// Address is the street line ("12 rue des Tilleuls"); Postcode and
	// City complete it.
	Address, Postcode, City string
	// Lat and Lon are WGS 84 degrees; HasPosition is false when unknown.
	Lat, Lon    float64
	HasPosition bool
	// OpeningHours is in OpenStreetMap's opening_hours syntax.
	OpeningHours          string
	Phone, Email, Website string
	SIRET                 string
	Wheelchair            string
	HearingLoop           bool
	Accessibility         string // free text: an entrance, a lift, a toilet
	Published             bool
	CreatedAt, UpdatedAt  time.Time
	// memo is the store's memo of what is read from the entry's text
	// (nil for an entry not read from a list).
	memo *memos
}

// Path is the entry's public page.
func (e *Entry) Path() string { return "/annuaire/" + e.Slug }

// FullAddress is the street line, the postcode and the city.
func (e *Entry) FullAddress() string {
	s := e.Address
	if tail := joinNonEmpty(" ", e.Postcode, e.City); tail != "" {
		s = joinNonEmpty(", ", s, tail)
	}
	return s
}

func joinNonEmpty(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	return out
}

// ErrNotFound is an entry, a manager or a proposal the collectivité does
// not have.
// It is the kernel's own answer for an entry that is not published.
var ErrNotFound = kernel.ErrNoDirectoryEntry
