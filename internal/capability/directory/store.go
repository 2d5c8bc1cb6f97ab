package directory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/mail"
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// Store keeps a collectivité's directory; every query filters by
// tenant_id, except the retention's.
type Store struct {
	db   *db.DB
	memo *memos
	// Now is the clock every rule reads.
	Now clock.Clock
	// Search, when set, lists the published entries in the site search.
	Search *search.Index
	// Mail, when set, sends the moderation's emails.
	Mail mail.Enqueuer

	changes  invalidate.Announcer
	managers *invalidate.Memo
}

// NewStore returns the store, its caches on a seam of their own until
// Join.
func NewStore(d *db.DB) *Store {
	s := &Store{db: d, Now: clock.System, memo: newMemos()}
	s.Join(invalidate.New())
	return s
}

// Join puts the store's caches (who manages entries) on the
// application's seam, where every node hears its changes.
func (s *Store) Join(b *invalidate.Bus) {
	s.changes = b
	s.managers = invalidate.NewMemo(b, "directory-managers", ManagersTTL, invalidate.Directory).Bound(2000)
}

// DB returns the store's database.
func (s *Store) DB() *db.DB { return s.db }

func (s *Store) now() time.Time { return s.Now().UTC() }

func wrap(what string, err error) error {
	if err == nil || errors.Is(err, ErrNotFound) || guichet.ErrorCode(err) != guichet.EInternal {
		return err
	}
	return fmt.Errorf("directory: %s: %w", what, err)
}

const entryCols = `id, tenant_id, slug, name, category, kind, organisation, summary, description, address, postcode, city,
	lat, lon, opening_hours, phone, email, website, siret, wheelchair, hearing_loop, accessibility, published, created_at, updated_at`

func scanEntry(r db.Row) (*Entry, error) {
	var e Entry
	var lat, lon sql.NullFloat64
	err := r.Scan(&e.ID, &e.TenantID, &e.Slug, &e.Name, &e.Category, &e.Kind, &e.Organisation, &e.Summary, &e.Description,
		&e.Address, &e.Postcode, &e.City, &lat, &lon, &e.OpeningHours, &e.Phone, &e.Email, &e.Website, &e.SIRET,
		&e.Wheelchair, &e.HearingLoop, &e.Accessibility, &e.Published, &e.CreatedAt, &e.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if lat.Valid && lon.Valid {
		e.Lat, e.Lon, e.HasPosition = lat.Float64, lon.Float64, true
	}
	return &e, nil
}

func (s *Store) list(ctx context.Context, q db.Querier, where string, args ...any) ([]*Entry, error) {
	var out []*Entry
	err := db.Each(ctx, q, `SELECT `+entryCols+` FROM directory_entries WHERE `+where, func(r db.Row) error {
		e, err := scanEntry(r)
		if err == nil {
			e.memo = s.memo
			out = append(out, e)
		}
		return err
	}, args...)
	return out, err
}

// Published lists the collectivité's published entries by name.
func (s *Store) Published(ctx context.Context, tenantID string) ([]*Entry, error) {
	out, err := s.list(ctx, s.db, `tenant_id = ? AND published = ? ORDER BY name, id`, tenantID, true)
	return out, wrap("published", err)
}

// All lists every entry of the collectivité, published or not, by name.
func (s *Store) All(ctx context.Context, tenantID string) ([]*Entry, error) {
	out, err := s.list(ctx, s.db, `tenant_id = ? ORDER BY name, id`, tenantID)
	return out, wrap("entries", err)
}

// Entry returns one of the collectivité's entries, published or not.
func (s *Store) Entry(ctx context.Context, tenantID, id string) (*Entry, error) {
	e, err := scanEntry(s.db.QueryRow(ctx, `SELECT `+entryCols+` FROM directory_entries WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return e, wrap("entry", err)
}

// PublicEntry returns a published entry by its address.
func (s *Store) PublicEntry(ctx context.Context, tenantID, slug string) (*Entry, error) {
	e, err := scanEntry(s.db.QueryRow(ctx, `SELECT `+entryCols+` FROM directory_entries
		WHERE tenant_id = ? AND slug = ? AND published = ?`, tenantID, slug, true))
	return e, wrap("public entry", err)
}

// BySlug returns an entry by its address, published or not (the demo's
// and the tests' way to find one).
func (s *Store) BySlug(ctx context.Context, tenantID, slug string) (*Entry, error) {
	e, err := scanEntry(s.db.QueryRow(ctx, `SELECT `+entryCols+` FROM directory_entries WHERE tenant_id = ? AND slug = ?`,
		tenantID, slug))
	return e, wrap("entry by slug", err)
}

func position(e *Entry) (any, any) {
	if !e.HasPosition {
		return nil, nil
	}
	return e.Lat, e.Lon
}

// ErrSlugTaken is an address another entry of the collectivité has.
var ErrSlugTaken = guichet.Invalid(map[string]string{"slug": "Une autre fiche porte déjà cette adresse : choisissez-en une autre."})

// Save creates or updates an entry, checked with check (the opening
// hours' reader).
func (s *Store) Save(ctx context.Context, e *Entry, check func(string) (string, error)) error {
	if err := e.Validate(check); err != nil {
		return err
	}
	now := s.now()
	lat, lon := position(e)
	e.UpdatedAt = now
	var err error
	if e.ID == "" {
		e.ID, e.CreatedAt = uuid.NewString(), now
		_, err = s.db.Exec(ctx, `INSERT INTO directory_entries (`+entryCols+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ID, e.TenantID, e.Slug, e.Name, e.Category, e.Kind, e.Organisation, e.Summary, e.Description, e.Address,
			e.Postcode, e.City, lat, lon, e.OpeningHours, e.Phone, e.Email, e.Website, e.SIRET, e.Wheelchair, e.HearingLoop,
			e.Accessibility, e.Published, now, now)
	} else {
		var n int64
		n, err = db.Affected(ctx, s.db, `UPDATE directory_entries SET slug = ?, name = ?, category = ?, kind = ?, organisation = ?,
			summary = ?, description = ?, address = ?, postcode = ?, city = ?, lat = ?, lon = ?, opening_hours = ?, phone = ?,
			email = ?, website = ?, siret = ?, wheelchair = ?, hearing_loop = ?, accessibility = ?, published = ?, updated_at = ?
			WHERE tenant_id = ? AND id = ?`,
			e.Slug, e.Name, e.Category, e.Kind, e.Organisation, e.Summary, e.Description, e.Address, e.Postcode, e.City,
			lat, lon, e.OpeningHours, e.Phone, e.Email, e.Website, e.SIRET, e.Wheelchair, e.HearingLoop, e.Accessibility,
			e.Published, now, e.TenantID, e.ID)
		if err == nil && n == 0 {
			err = ErrNotFound
		}
	}
	if db.IsUniqueViolation(err) {
		return ErrSlugTaken
	}
	if err != nil {
		return wrap("save", err)
	}
	s.changed(ctx, e.TenantID)
	return nil
}

// SetPublished publishes or unpublishes an entry.
func (s *Store) SetPublished(ctx context.Context, tenantID, id string, published bool) (*Entry, error) {
	n, err := db.Affected(ctx, s.db, `UPDATE directory_entries SET published = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
		published, s.now(), tenantID, id)
	if err != nil {
		return nil, wrap("publish", err)
	}
	if n == 0 {
		return nil, ErrNotFound
	}
	s.changed(ctx, tenantID)
	return s.Entry(ctx, tenantID, id)
}

// Delete removes an entry with its managers and proposals.
func (s *Store) Delete(ctx context.Context, tenantID, id string) (*Entry, error) {
	e, err := s.Entry(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		for _, q := range []string{`DELETE FROM directory_proposals WHERE tenant_id = ? AND entry_id = ?`,
			`DELETE FROM directory_managers WHERE tenant_id = ? AND entry_id = ?`,
			`DELETE FROM directory_entries WHERE tenant_id = ? AND id = ?`} {
			if _, err := tx.Exec(ctx, q, tenantID, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, wrap("delete", err)
	}
	s.changed(ctx, tenantID)
	return e, nil
}

// KindDirectory is the entries' kind in the site search.
const KindDirectory = "directory"

// SearchKind is the published entries as the site search lists them: a
// small catalogue, indexed whole after every change.
func (s *Store) SearchKind() search.Kind {
	return search.Kind{Name: KindDirectory, Label: "directory.search.kind", Boost: 120, Docs: s.searchDocs}
}

func (s *Store) searchDocs(ctx context.Context, tenantID string) ([]search.Doc, error) {
	list, err := s.Published(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	docs := make([]search.Doc, 0, len(list))
	for _, e := range list {
		docs = append(docs, search.Doc{ID: e.ID, Title: e.Name, URL: e.Path(), Body: e.searchText(), PublishedAt: e.CreatedAt})
	}
	return docs, nil
}

// searchText is what the words typed are looked for in.
func (e *Entry) searchText() string {
	return strings.Join([]string{e.Summary, KindOf(e.Category, e.Kind).Label, publishing.PlainText(e.Description), e.FullAddress()}, "\n")
}

// announce tells the caches that a collectivité's entries or managers
// changed.
func (s *Store) announce(ctx context.Context, tenantID string) {
	s.changes.Changed(ctx, invalidate.Change{Kind: invalidate.Directory, TenantID: tenantID})
}

// changed announces the change and refreshes the collectivité's entries
// in the site search; a failure leaves the index as it was until the
// next change, and is logged.
func (s *Store) changed(ctx context.Context, tenantID string) {
	s.announce(ctx, tenantID)
	if s.Search == nil {
		return
	}
	if err := s.Search.Sync(ctx, tenantID, s.SearchKind()); err != nil {
		slog.ErrorContext(ctx, "search: directory not indexed", "tenant", tenantID, "error", err)
	}
}
