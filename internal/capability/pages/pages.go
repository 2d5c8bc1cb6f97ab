// Package pages is the practical information of a collectivité ("vie
// pratique"): pages whose published ones form the section's menu. Their
// rows, revisions and index entries are written in one transaction.
package pages

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// Migrations creates the pages' table: publishing's shared "content" set.
var Migrations = publishing.ContentTables

// Kind is a page's kind in the search index and revisions.
const Kind = "page"

// Store reads and writes a collectivité's pages and keeps the search
// index up to date.
type Store struct{ *publishing.Desk }

// NewStore returns the pages' store.
func NewStore(d *db.DB) *Store { return &Store{publishing.NewDesk(d, nil)} }

// Page is a page of practical information ("vie pratique"); published
// pages form the section's menu, in MenuOrder.
type Page struct {
	ID, TenantID, Slug   string
	Title, Summary, Body string
	EasyRead             string // the easy-to-read (FALC) version, optional
	TitleEN, BodyEN      string
	MenuOrder            int
	Status, Author       string
	PublishAt            *time.Time
	CreatedAt, UpdatedAt time.Time
}

// Publication is the page's status and date.
func (p *Page) Publication() publishing.Publication {
	return publishing.Publication{Status: p.Status, PublishAt: p.PublishAt}
}

// Public reports whether visitors see the page at now.
func (p *Page) Public(now time.Time) bool { return p.Publication().Public(now) }

// URL is the page's public path.
func (p *Page) URL() string { return "/vie-pratique/" + p.Slug }

func (p *Page) validate() error {
	errs := map[string]string{}
	p.Title, p.Summary = strings.TrimSpace(p.Title), strings.TrimSpace(p.Summary)
	publishing.CheckText(errs, "title", p.Title, 1, 160, "Indiquez un titre.", "Le titre dépasse 160 caractères.")
	publishing.CheckText(errs, "summary", p.Summary, 0, 300, "", "Le résumé dépasse 300 caractères.")
	publishing.CheckText(errs, "body", strings.TrimSpace(p.Body), 1, 50000, "Écrivez le contenu de la page.", "Le texte dépasse 50 000 caractères.")
	publishing.CheckText(errs, "easy_read", strings.TrimSpace(p.EasyRead), 0, 50000, "", "Le texte facile à lire dépasse 50 000 caractères.")
	if p.MenuOrder < 0 || p.MenuOrder > 999 {
		errs["menu_order"] = "Indiquez une position de 0 à 999."
	}
	publishing.CheckStatus(errs, p.Status)
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

const pageColumns = `id, tenant_id, slug, title, summary, body, easy_read, title_en, body_en, menu_order, status, publish_at, author, created_at, updated_at`

func scanPage(row interface{ Scan(...any) error }) (*Page, error) {
	var p Page
	var at sql.NullTime
	err := row.Scan(&p.ID, &p.TenantID, &p.Slug, &p.Title, &p.Summary, &p.Body, &p.EasyRead, &p.TitleEN, &p.BodyEN, &p.MenuOrder,
		&p.Status, &at, &p.Author, &p.CreatedAt, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, publishing.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("pages: page: %w", err)
	}
	p.PublishAt = publishing.FromNull(at)
	return &p, nil
}

// Save creates or updates a page with a revision and its index entry.
func (s *Store) Save(ctx context.Context, p *Page, author, action string) error {
	if p.Status == "" {
		p.Status = publishing.StatusDraft
	}
	if err := p.validate(); err != nil {
		return err
	}
	now := s.Stamp()
	pub := p.Publication().Settle(now)
	p.Status, p.PublishAt, p.UpdatedAt, p.Author = pub.Status, pub.PublishAt, now, author
	creating := p.ID == ""
	if creating {
		p.ID, p.CreatedAt = uuid.NewString(), now
		if p.Slug == "" {
			p.Slug = publishing.Slugify(p.Title)
		}
	}
	err := publishing.InsertWithSlug(ctx, s.DB(), &p.Slug, func(tx *db.Tx) error {
		var err error
		if creating {
			_, err = tx.Exec(ctx, `INSERT INTO content_pages (`+pageColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				p.ID, p.TenantID, p.Slug, p.Title, p.Summary, p.Body, p.EasyRead, p.TitleEN, p.BodyEN, p.MenuOrder, p.Status,
				publishing.NullTime(p.PublishAt), p.Author, p.CreatedAt, p.UpdatedAt)
		} else {
			var res sql.Result
			res, err = tx.Exec(ctx, `UPDATE content_pages SET title = ?, summary = ?, body = ?, easy_read = ?, title_en = ?, body_en = ?,
				menu_order = ?, status = ?, publish_at = ?, author = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
				p.Title, p.Summary, p.Body, p.EasyRead, p.TitleEN, p.BodyEN, p.MenuOrder, p.Status, publishing.NullTime(p.PublishAt), p.Author,
				p.UpdatedAt, p.TenantID, p.ID)
			if err == nil {
				if k, _ := res.RowsAffected(); k == 0 {
					return publishing.ErrNotFound
				}
			}
		}
		if err != nil {
			return err
		}
		if err := s.History.Record(ctx, tx, s.Now(), p.TenantID, p.ID, Kind, author, action, p.Title, p); err != nil {
			return err
		}
		d := search.Doc{TenantID: p.TenantID, Kind: Kind, ID: p.ID, Title: p.Title, URL: p.URL(),
			Body: strings.TrimSpace(p.Summary + "\n" + publishing.PlainText(p.Body))}
		if p.PublishAt != nil {
			d.PublishedAt = *p.PublishAt
		}
		return publishing.Index(ctx, tx, p.Status == publishing.StatusPublished, d)
	})
	if errors.Is(err, publishing.ErrNotFound) {
		return publishing.ErrNotFound
	}
	if err == nil {
		s.Changed(ctx, p.TenantID)
	}
	return err
}

// SetStatus publishes (at when given, else now), unpublishes or puts
// back to draft a page.
func (s *Store) SetStatus(ctx context.Context, tenantID, id, status string, at *time.Time, author string) (*Page, error) {
	change, err := publishing.StatusChange(status)
	if err != nil {
		return nil, err
	}
	p, err := s.ByID(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	pub, action := p.Publication().Change(change, at, s.Stamp())
	p.Status, p.PublishAt = pub.Status, pub.PublishAt
	return p, s.Save(ctx, p, author, action)
}

// ByID returns any page, for editors.
func (s *Store) ByID(ctx context.Context, tenantID, id string) (*Page, error) {
	return scanPage(s.DB().QueryRow(ctx, `SELECT `+pageColumns+` FROM content_pages WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// Public returns a published page by slug.
func (s *Store) Public(ctx context.Context, tenantID, slug string) (*Page, error) {
	return scanPage(s.DB().QueryRow(ctx, `SELECT `+pageColumns+` FROM content_pages WHERE tenant_id = ? AND slug = ?
		AND status = ? AND publish_at <= ?`, tenantID, slug, publishing.StatusPublished, s.Stamp()))
}

// menuSize bounds the menu.
const menuSize = 200

// Menu returns the published pages in menu order (at most menuSize), with
// what a menu shows of them: no body, no translation.
func (s *Store) Menu(ctx context.Context, tenantID string) ([]*Page, error) {
	menu, _, err := s.menu(ctx, tenantID, "")
	return menu, err
}

// PublicWithMenu returns the published page slug and the menu, in one
// statement: the menu's rows bring the texts of that page only.
func (s *Store) PublicWithMenu(ctx context.Context, tenantID, slug string) (*Page, []*Page, error) {
	menu, page, err := s.menu(ctx, tenantID, slug)
	if err != nil {
		return nil, nil, err
	}
	if page == nil && len(menu) == menuSize { // past the menu's end
		if page, err = s.Public(ctx, tenantID, slug); err != nil {
			return nil, nil, err
		}
	}
	if page == nil {
		return nil, nil, publishing.ErrNotFound
	}
	return page, menu, nil
}

// menu reads the menu, with the texts of the page slug when it is there.
func (s *Store) menu(ctx context.Context, tenantID, slug string) ([]*Page, *Page, error) {
	// Every entry's English title (the menu shows it to English readers);
	// the texts of the page slug only.
	rows, err := s.DB().Query(ctx, `SELECT id, slug, title, summary, title_en, menu_order, publish_at,
		CASE WHEN slug = ? THEN body ELSE '' END, CASE WHEN slug = ? THEN body_en ELSE '' END,
		CASE WHEN slug = ? THEN easy_read ELSE '' END
		FROM content_pages WHERE tenant_id = ? AND status = ? AND publish_at <= ? ORDER BY menu_order, title LIMIT ?`,
		slug, slug, slug, tenantID, publishing.StatusPublished, s.Stamp(), menuSize)
	if err != nil {
		return nil, nil, fmt.Errorf("pages: menu: %w", err)
	}
	defer rows.Close()
	var menu []*Page
	var page *Page
	for rows.Next() {
		p := Page{TenantID: tenantID, Status: publishing.StatusPublished}
		var at sql.NullTime
		var body, bodyEN, easy string
		if err := rows.Scan(&p.ID, &p.Slug, &p.Title, &p.Summary, &p.TitleEN, &p.MenuOrder, &at, &body, &bodyEN, &easy); err != nil {
			return nil, nil, fmt.Errorf("pages: menu: %w", err)
		}
		p.PublishAt = publishing.FromNull(at)
		menu = append(menu, &p)
		if slug != "" && p.Slug == slug {
			full := p // the menu's entry keeps no texts
			full.Body, full.BodyEN, full.EasyRead = body, bodyEN, easy
			page = &full
		}
	}
	return menu, page, rows.Err()
}

// All returns every page for editors, in menu order.
func (s *Store) All(ctx context.Context, tenantID string) ([]*Page, error) {
	return s.pages(ctx, `WHERE tenant_id = ? ORDER BY menu_order, title LIMIT 500`, tenantID)
}

func (s *Store) pages(ctx context.Context, where string, args ...any) ([]*Page, error) {
	rows, err := s.DB().Query(ctx, `SELECT `+pageColumns+` FROM content_pages `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Page
	for rows.Next() {
		p, err := scanPage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Revised returns the page as revision r saved it.
func Revised(r *publishing.Revision) (*Page, error) {
	var p Page
	return &p, publishing.ContentHistory.Decode(r, Kind, &p)
}

// Restore brings back the texts and menu position of a revision of a
// page; its publication stays as it is now.
func (s *Store) Restore(ctx context.Context, tenantID, id, revisionID, author string) (*Page, error) {
	rev, err := s.Revision(ctx, tenantID, Kind, id, revisionID)
	if err != nil {
		return nil, err
	}
	old, err := Revised(rev)
	if err != nil {
		return nil, err
	}
	p, err := s.ByID(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	p.Title, p.Summary, p.Body, p.EasyRead, p.TitleEN, p.BodyEN, p.MenuOrder = old.Title, old.Summary, old.Body, old.EasyRead, old.TitleEN, old.BodyEN, old.MenuOrder
	return p, s.Save(ctx, p, author, publishing.ActionRestored)
}
