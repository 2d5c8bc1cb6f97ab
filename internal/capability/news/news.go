// Package news is a collectivité's news (actualités): drafts, scheduled
// publication, revisions, easy-to-read and English versions, cover images.
// An item's row, revision and index entry are written in one transaction.
package news

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
	"guichet/internal/publishing/search"
)

// Migrations creates the news' tables: publishing's shared "content" set.
var Migrations = publishing.ContentTables

// Kind is a news item's kind in the search index and revisions.
const Kind = "news"

// Categories are the categories editors choose from; the label of one is
// the web layer's message "publishing.cat.<value>".
var Categories = []string{"vie-municipale", "travaux", "culture", "education", "solidarite", "environnement", "sport"}

// Store reads and writes a collectivité's news and keeps the search index
// up to date.
type Store struct {
	*publishing.Desk
	// CheckStorage, when set, refuses images once the collectivité's files
	// fill their quota (kernel.CheckStorage).
	CheckStorage func(ctx context.Context, tenantID string) error
}

// NewStore returns the news' store.
func NewStore(d *db.DB) *Store { return &Store{Desk: publishing.NewDesk(d, nil)} }

// News is one news item (actualité).
type News struct {
	ID, TenantID, Slug, Category string
	Title, Summary, Body         string
	EasyRead                     string // the easy-to-read (FALC) version, optional
	TitleEN, BodyEN              string // the English translation, optional
	ImageID, ImageAlt            string // cover image and its required text alternative
	Status, Author               string
	PublishAt                    *time.Time
	CreatedAt, UpdatedAt         time.Time
}

// Publication is the item's status and date.
func (n *News) Publication() publishing.Publication {
	return publishing.Publication{Status: n.Status, PublishAt: n.PublishAt}
}

// Public reports whether visitors see the item at now.
func (n *News) Public(now time.Time) bool { return n.Publication().Public(now) }

// Scheduled reports whether the item will appear later by itself.
func (n *News) Scheduled(now time.Time) bool {
	return n.Publication().State(now) == publishing.StateScheduled
}

// URL is the item's public path.
func (n *News) URL() string { return "/actualites/" + n.Slug }

// validate checks an item before it is saved and names each wrong field.
func (n *News) validate() error {
	errs := map[string]string{}
	n.Title, n.Summary, n.ImageAlt = strings.TrimSpace(n.Title), strings.TrimSpace(n.Summary), strings.TrimSpace(n.ImageAlt)
	publishing.CheckText(errs, "title", n.Title, 1, 160, "Indiquez un titre.", "Le titre dépasse 160 caractères.")
	publishing.CheckText(errs, "summary", n.Summary, 0, 300, "", "Le chapeau dépasse 300 caractères.")
	publishing.CheckText(errs, "body", strings.TrimSpace(n.Body), 1, 50000, "Écrivez le texte de l'actualité.", "Le texte dépasse 50 000 caractères.")
	if !slices.Contains(Categories, n.Category) {
		errs["category"] = "Choisissez une catégorie."
	}
	if n.ImageID != "" && n.ImageAlt == "" {
		errs["image_alt"] = "Décrivez l'image pour les personnes qui ne la voient pas."
	}
	publishing.CheckText(errs, "image_alt", n.ImageAlt, 0, 250, "", "L'alternative dépasse 250 caractères.")
	publishing.CheckStatus(errs, n.Status)
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

const newsColumns = `id, tenant_id, slug, category, title, summary, body, easy_read, title_en, body_en, image_id, image_alt,
	status, publish_at, author, created_at, updated_at`

func scanNews(row interface{ Scan(...any) error }) (*News, error) {
	var n News
	var at sql.NullTime
	err := row.Scan(&n.ID, &n.TenantID, &n.Slug, &n.Category, &n.Title, &n.Summary, &n.Body, &n.EasyRead, &n.TitleEN,
		&n.BodyEN, &n.ImageID, &n.ImageAlt, &n.Status, &at, &n.Author, &n.CreatedAt, &n.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, publishing.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("news: news: %w", err)
	}
	n.PublishAt = publishing.FromNull(at)
	return &n, nil
}

// Save creates (empty ID) or updates a news item as author, records a
// revision and updates the search index, all in one transaction. action
// names the change in the history ("created", "edited", "published"…).
func (s *Store) Save(ctx context.Context, n *News, author, action string) error {
	creating, err := s.prepareNews(n, author)
	if err != nil {
		return err
	}
	err = publishing.InsertWithSlug(ctx, s.DB(), &n.Slug, func(tx *db.Tx) error {
		return s.writeNews(ctx, tx, n, creating, author, action)
	})
	if errors.Is(err, publishing.ErrNotFound) {
		return publishing.ErrNotFound
	}
	return err
}

// SaveTx is Save inside the caller's transaction, for a
// publication that must commit with other writes (its subscribers' mail):
// there a taken address (slug) is an error, not retried with a suffix.
func (s *Store) SaveTx(ctx context.Context, tx *db.Tx, n *News, author, action string) error {
	creating, err := s.prepareNews(n, author)
	if err != nil {
		return err
	}
	if err := s.writeNews(ctx, tx, n, creating, author, action); err != nil {
		return fmt.Errorf("news: save: %w", err)
	}
	return nil
}

// prepareNews checks n and settles its publication, id and slug; it
// reports whether n is new.
func (s *Store) prepareNews(n *News, author string) (bool, error) {
	if n.Status == "" {
		n.Status = publishing.StatusDraft
	}
	if err := n.validate(); err != nil {
		return false, err
	}
	now := s.Stamp()
	pub := n.Publication().Settle(now)
	n.Status, n.PublishAt, n.UpdatedAt = pub.Status, pub.PublishAt, now
	n.Author = author
	creating := n.ID == ""
	if creating {
		n.ID, n.CreatedAt = uuid.NewString(), now
		if n.Slug == "" {
			n.Slug = publishing.Slugify(n.Title)
		}
	}
	return creating, nil
}

// writeNews stores n, its revision and its place in the search index in tx.
func (s *Store) writeNews(ctx context.Context, tx *db.Tx, n *News, creating bool, author, action string) error {
	var err error
	if creating {
		_, err = tx.Exec(ctx, `INSERT INTO content_news (`+newsColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			n.ID, n.TenantID, n.Slug, n.Category, n.Title, n.Summary, n.Body, n.EasyRead, n.TitleEN, n.BodyEN,
			n.ImageID, n.ImageAlt, n.Status, publishing.NullTime(n.PublishAt), n.Author, n.CreatedAt, n.UpdatedAt)
	} else {
		var k int64
		k, err = db.Affected(ctx, tx, `UPDATE content_news SET category = ?, title = ?, summary = ?, body = ?, easy_read = ?,
			title_en = ?, body_en = ?, image_id = ?, image_alt = ?, status = ?, publish_at = ?, author = ?, updated_at = ?
			WHERE tenant_id = ? AND id = ?`, n.Category, n.Title, n.Summary, n.Body, n.EasyRead, n.TitleEN, n.BodyEN,
			n.ImageID, n.ImageAlt, n.Status, publishing.NullTime(n.PublishAt), n.Author, n.UpdatedAt, n.TenantID, n.ID)
		if err == nil && k == 0 {
			return publishing.ErrNotFound
		}
	}
	if err != nil {
		return err
	}
	if err := s.History.Record(ctx, tx, s.Now(), n.TenantID, n.ID, Kind, author, action, n.Title, n); err != nil {
		return err
	}
	tx.OnCommit(func() { s.Changed(ctx, n.TenantID) })
	return publishing.Index(ctx, tx, n.Status == publishing.StatusPublished, n.doc())
}

func (n *News) doc() search.Doc {
	d := search.Doc{TenantID: n.TenantID, Kind: Kind, ID: n.ID, Title: n.Title, URL: n.URL(),
		Body: strings.TrimSpace(n.Summary + "\n" + publishing.PlainText(n.Body))}
	if n.PublishAt != nil {
		d.PublishedAt = *n.PublishAt
	}
	return d
}

// SetStatus publishes (at when given, else now), unpublishes or puts
// back to draft an item.
func (s *Store) SetStatus(ctx context.Context, tenantID, id, status string, at *time.Time, author string) (*News, error) {
	change, err := publishing.StatusChange(status)
	if err != nil {
		return nil, err
	}
	n, err := s.ByID(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	pub, action := n.Publication().Change(change, at, s.Stamp())
	n.Status, n.PublishAt = pub.Status, pub.PublishAt
	return n, s.Save(ctx, n, author, action)
}

// ByID returns any item of the collectivité, for editors.
func (s *Store) ByID(ctx context.Context, tenantID, id string) (*News, error) {
	return scanNews(s.DB().QueryRow(ctx, `SELECT `+newsColumns+` FROM content_news WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// Public returns a published item by slug, as visitors see it.
func (s *Store) Public(ctx context.Context, tenantID, slug string) (*News, error) {
	return scanNews(s.DB().QueryRow(ctx, `SELECT `+newsColumns+` FROM content_news
		WHERE tenant_id = ? AND slug = ? AND status = ? AND publish_at <= ?`, tenantID, slug, publishing.StatusPublished, s.Stamp()))
}

// listColumns are what lists of news show (the news page, the home page,
// the API): no texts but the title and summary.
const listColumns = `id, tenant_id, slug, category, title, summary, image_id, image_alt, status, publish_at, updated_at`

func scanListed(row interface{ Scan(...any) error }) (*News, error) {
	var n News
	var at sql.NullTime
	if err := row.Scan(&n.ID, &n.TenantID, &n.Slug, &n.Category, &n.Title, &n.Summary, &n.ImageID, &n.ImageAlt, &n.Status,
		&at, &n.UpdatedAt); err != nil {
		return nil, fmt.Errorf("news: news: %w", err)
	}
	n.PublishAt = publishing.FromNull(at)
	return &n, nil
}

// ListPublic returns published news, newest first, one page at a time,
// with what lists show of them (listColumns): no body, no other version.
func (s *Store) ListPublic(ctx context.Context, tenantID string, f publishing.ListFilter) ([]*News, publishing.Cursor, error) {
	where, args := publicWhere(tenantID, s.Stamp(), f)
	return s.listNews(ctx, listColumns, scanListed, where, args, "publish_at", f)
}

// FeedPublic returns the latest published news with their bodies, newest
// first, for the feed: what lists show, and the French body.
func (s *Store) FeedPublic(ctx context.Context, tenantID string, limit int) ([]*News, error) {
	f := publishing.ListFilter{Limit: limit}
	where, args := publicWhere(tenantID, s.Stamp(), f)
	list, _, err := s.listNews(ctx, listColumns+", body", scanFeed, where, args, "publish_at", f)
	return list, err
}

func scanFeed(row interface{ Scan(...any) error }) (*News, error) {
	var n News
	var at sql.NullTime
	if err := row.Scan(&n.ID, &n.TenantID, &n.Slug, &n.Category, &n.Title, &n.Summary, &n.ImageID, &n.ImageAlt, &n.Status,
		&at, &n.UpdatedAt, &n.Body); err != nil {
		return nil, fmt.Errorf("news: news: %w", err)
	}
	n.PublishAt = publishing.FromNull(at)
	return &n, nil
}

func publicWhere(tenantID string, now time.Time, f publishing.ListFilter) ([]string, []any) {
	where := []string{"tenant_id = ?", "status = ?", "publish_at <= ?"}
	args := []any{tenantID, publishing.StatusPublished, now}
	if f.Category != "" {
		where, args = append(where, "category = ?"), append(args, f.Category)
	}
	return where, args
}

// List returns every item of the collectivité for editors, last
// changed first, filtered by status, category and title words.
func (s *Store) List(ctx context.Context, tenantID string, f publishing.ListFilter) ([]*News, publishing.Cursor, error) {
	where, args := []string{"tenant_id = ?"}, []any{tenantID}
	switch f.Status {
	case publishing.StatusDraft, publishing.StatusUnpublished:
		where, args = append(where, "status = ?"), append(args, f.Status)
	case publishing.StatusPublished:
		where, args = append(where, "status = ?", "publish_at <= ?"), append(args, publishing.StatusPublished, s.Stamp())
	case "scheduled":
		where, args = append(where, "status = ?", "publish_at > ?"), append(args, publishing.StatusPublished, s.Stamp())
	}
	if f.Category != "" {
		where, args = append(where, "category = ?"), append(args, f.Category)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where, args = append(where, "LOWER(title) LIKE ?"), append(args, "%"+strings.ToLower(q)+"%")
	}
	return s.listNews(ctx, newsColumns, scanNews, where, args, "updated_at", f)
}

func (s *Store) listNews(ctx context.Context, columns string, scan func(interface{ Scan(...any) error }) (*News, error),
	where []string, args []any, order string, f publishing.ListFilter) ([]*News, publishing.Cursor, error) {
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	if f.After.ID != "" {
		where = append(where, "("+order+" < ? OR ("+order+" = ? AND id < ?))")
		args = append(args, f.After.At, f.After.At, f.After.ID)
	}
	rows, err := s.DB().Query(ctx, `SELECT `+columns+` FROM content_news WHERE `+strings.Join(where, " AND ")+
		` ORDER BY `+order+` DESC, id DESC LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, publishing.Cursor{}, fmt.Errorf("news: list news: %w", err)
	}
	defer rows.Close()
	var out []*News
	var next publishing.Cursor
	for rows.Next() {
		n, err := scan(rows)
		if err != nil {
			return nil, publishing.Cursor{}, err
		}
		if len(out) == limit {
			last := out[limit-1]
			next = publishing.Cursor{At: last.UpdatedAt, ID: last.ID}
			if order == "publish_at" {
				next.At = *last.PublishAt
			}
			break
		}
		out = append(out, n)
	}
	return out, next, rows.Err()
}
