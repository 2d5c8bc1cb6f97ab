package participation

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// normalize trims the fields, derives the slug from the name when none is
// given, and checks the rest.
func (sp *Space) normalize() error {
	sp.Name = strings.TrimSpace(sp.Name)
	sp.Slug = strings.TrimSpace(sp.Slug)
	sp.Description = strings.TrimSpace(sp.Description)
	fields := map[string]string{}
	switch n := utf8.RuneCountInString(sp.Name); {
	case n == 0:
		fields["name"] = "Donnez un nom à l'espace."
	case n > MaxName:
		fields["name"] = fmt.Sprintf("Le nom tient en %d caractères au plus.", MaxName)
	}
	if sp.Slug == "" {
		sp.Slug = publishing.Slugify(sp.Name)
	}
	if !slugPattern.MatchString(sp.Slug) {
		fields["slug"] = "L'adresse ne prend que des lettres minuscules sans accent, des chiffres et des tirets."
	}
	if utf8.RuneCountInString(sp.Description) > MaxBody {
		fields["description"] = fmt.Sprintf("La description tient en %d caractères au plus.", MaxBody)
	}
	if len(fields) > 0 {
		return guichet.Invalid(fields)
	}
	return nil
}

const spaceCols = `id, tenant_id, slug, name, description, community_id, community_name, premoderate_new, links_allowed,
position, created_at`

func scanSpace(row db.Row) (*Space, error) {
	var sp Space
	err := row.Scan(&sp.ID, &sp.TenantID, &sp.Slug, &sp.Name, &sp.Description, &sp.CommunityID, &sp.CommunityName,
		&sp.Rules.PremoderateNew, &sp.Rules.LinksAllowed, &sp.Position, &sp.CreatedAt)
	if err != nil {
		return nil, notFound("space", err)
	}
	return &sp, nil
}

// CreateSpace adds a space; its slug is derived from its name when empty.
func (s *Store) CreateSpace(ctx context.Context, sp *Space) error {
	if err := sp.normalize(); err != nil {
		return err
	}
	sp.ID, sp.CreatedAt = uuid.NewString(), s.now()
	_, err := s.db.Exec(ctx, `INSERT INTO participation_spaces (`+spaceCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sp.ID, sp.TenantID, sp.Slug, sp.Name, sp.Description, sp.CommunityID, sp.CommunityName,
		sp.Rules.PremoderateNew, sp.Rules.LinksAllowed, sp.Position, sp.CreatedAt)
	if db.IsUniqueViolation(err) {
		return ErrSlugTaken
	}
	if err != nil {
		return fmt.Errorf("participation: create space: %w", err)
	}
	return nil
}

// UpdateSpace saves a space's fields and rules.
func (s *Store) UpdateSpace(ctx context.Context, sp *Space) error {
	if err := sp.normalize(); err != nil {
		return err
	}
	res, err := s.db.Exec(ctx, `UPDATE participation_spaces SET slug = ?, name = ?, description = ?, community_id = ?,
		community_name = ?, premoderate_new = ?, links_allowed = ?, position = ? WHERE tenant_id = ? AND id = ?`,
		sp.Slug, sp.Name, sp.Description, sp.CommunityID, sp.CommunityName, sp.Rules.PremoderateNew,
		sp.Rules.LinksAllowed, sp.Position, sp.TenantID, sp.ID)
	if db.IsUniqueViolation(err) {
		return ErrSlugTaken
	}
	if err != nil {
		return fmt.Errorf("participation: update space: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Space returns one space by id.
func (s *Store) Space(ctx context.Context, tenantID, id string) (*Space, error) {
	return scanSpace(s.db.QueryRow(ctx, `SELECT `+spaceCols+` FROM participation_spaces WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// SpaceBySlug returns one space by its slug.
func (s *Store) SpaceBySlug(ctx context.Context, tenantID, slug string) (*Space, error) {
	return scanSpace(s.db.QueryRow(ctx, `SELECT `+spaceCols+` FROM participation_spaces WHERE tenant_id = ? AND slug = ?`, tenantID, slug))
}

// Spaces lists the collectivité's spaces in their order, each with its
// count of visible threads.
func (s *Store) Spaces(ctx context.Context, tenantID string) ([]*Space, error) {
	rows, err := s.db.Query(ctx, `SELECT `+prefixed("s.", spaceCols)+`,
		(SELECT COUNT(*) FROM participation_threads t WHERE t.tenant_id = s.tenant_id AND t.space_id = s.id AND t.state = ?)
		FROM participation_spaces s WHERE s.tenant_id = ? ORDER BY s.position, s.name`, Visible, tenantID)
	if err != nil {
		return nil, fmt.Errorf("participation: spaces: %w", err)
	}
	defer rows.Close()
	var list []*Space
	for rows.Next() {
		var sp Space
		if err := rows.Scan(&sp.ID, &sp.TenantID, &sp.Slug, &sp.Name, &sp.Description, &sp.CommunityID, &sp.CommunityName,
			&sp.Rules.PremoderateNew, &sp.Rules.LinksAllowed, &sp.Position, &sp.CreatedAt, &sp.Threads); err != nil {
			return nil, fmt.Errorf("participation: spaces: %w", err)
		}
		list = append(list, &sp)
	}
	return list, rows.Err()
}

// prefixed puts p before each of the comma-separated columns cols.
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
