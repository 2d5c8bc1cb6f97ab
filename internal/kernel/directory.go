package kernel

import (
	"context"

	"guichet"
)

// The directory's categories, shared by the capabilities that read the
// directory (the network of organisations, the communities, the pages
// for entrepreneurs and visitors), in display order.
const (
	CategorySchool      = "enseignement" // schools, nurseries, colleges
	CategoryTransport   = "transport"    // stations, stops, car sharing
	CategoryBusiness    = "commerce"     // businesses and shops
	CategoryAssociation = "association"
	CategoryFaith       = "culte"
	CategoryHealth      = "sante"
	CategorySport       = "sport"
	CategoryCulture     = "culture"
	CategoryPublic      = "service-public" // the mairie, post office, public buildings
	CategoryLodging     = "hebergement"    // hotels, gîtes, campsites
	CategorySight       = "a-voir"         // monuments, walks, viewpoints
)

// DirectoryCategories lists every category key, in display order.
var DirectoryCategories = []string{CategoryPublic, CategorySchool, CategoryHealth, CategoryTransport,
	CategoryBusiness, CategoryAssociation, CategoryFaith, CategorySport, CategoryCulture,
	CategoryLodging, CategorySight}

// DirectoryEntry is a published place or organisation of the
// collectivité's directory, as other capabilities read it.
type DirectoryEntry struct {
	ID, Slug, Name, Category string
	// Organisation is true for a body people belong to or work with (an
	// association, a school, a business, a parish), false for a mere
	// place (a bus stop, a monument, a playground).
	Organisation bool
	Summary      string // plain text, one or two sentences
	// Path is the entry's page, relative to the collectivité's site.
	Path    string
	Address string
	// Lat and Lon are WGS 84 degrees; both zero when the place has no
	// position.
	Lat, Lon              float64
	Email, Phone, Website string
	// OpeningHours is in OpenStreetMap's opening_hours syntax, empty when
	// unknown.
	OpeningHours string
	Wheelchair   bool
	HearingLoop  bool
}

// DirectoryQuery narrows a listing of the directory.
type DirectoryQuery struct {
	Categories    []string // none: every category
	Organisations bool     // only the organisations
	Limit         int      // 0: no limit
}

// DirectorySource is what the directory answers the other capabilities.
type DirectorySource struct {
	// List returns the published entries that match, by name.
	List func(ctx context.Context, tenantID string, q DirectoryQuery) ([]DirectoryEntry, error)
	// Get returns one published entry; guichet.ENotFound otherwise.
	Get func(ctx context.Context, tenantID, id string) (DirectoryEntry, error)
	// ManagedBy lists the ids of the entries an account manages on behalf
	// of their organisation (an administrator gave it to them).
	ManagedBy func(ctx context.Context, tenantID, accountID string) ([]string, error)
	// Manages tells, without a query once the collectivité's managers
	// are in memory, whether an account manages an entry, and one of an
	// organisation: the personal links of every page ask it.
	Manages func(ctx context.Context, tenantID, accountID string) (entries, organisations bool, err error)
}

// SetDirectory registers the directory (the capability that keeps it).
func (k *Kernel) SetDirectory(s DirectorySource) { k.directory = &s }

// ErrNoDirectoryEntry is the answer for an entry that is not published,
// or when no capability keeps a directory.
var ErrNoDirectoryEntry = guichet.Errorf(guichet.ENotFound, "Cette fiche de l'annuaire n'existe pas.")

// DirectoryEntries lists a collectivité's published entries (none when no
// capability keeps a directory).
func (k *Kernel) DirectoryEntries(ctx context.Context, tenantID string, q DirectoryQuery) ([]DirectoryEntry, error) {
	if k.directory == nil {
		return nil, nil
	}
	return k.directory.List(ctx, tenantID, q)
}

// DirectoryEntry returns one published entry of the directory.
func (k *Kernel) DirectoryEntry(ctx context.Context, tenantID, id string) (DirectoryEntry, error) {
	if k.directory == nil {
		return DirectoryEntry{}, ErrNoDirectoryEntry
	}
	return k.directory.Get(ctx, tenantID, id)
}

// ManagedEntries lists the ids of the entries an account manages (none
// when no capability keeps a directory).
func (k *Kernel) ManagedEntries(ctx context.Context, tenantID, accountID string) ([]string, error) {
	if k.directory == nil || accountID == "" {
		return nil, nil
	}
	return k.directory.ManagedBy(ctx, tenantID, accountID)
}

// ManagesEntries tells whether an account manages a directory entry, and
// one of an organisation (false, false when no capability keeps a
// directory).
func (k *Kernel) ManagesEntries(ctx context.Context, tenantID, accountID string) (entries, organisations bool, err error) {
	if k.directory == nil || k.directory.Manages == nil || accountID == "" {
		return false, false, nil
	}
	return k.directory.Manages(ctx, tenantID, accountID)
}
