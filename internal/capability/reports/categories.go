package reports

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
)

// Category is a kind of problem a collectivité takes reports of (an
// Open311 service).
type Category struct {
	ID, TenantID string
	// Code is its Open311 service_code, a slug ("voirie-nid-de-poule"),
	// unique in the collectivité.
	Code, Name, Description string
	// Group gathers categories on the form and in Open311 ("Voirie").
	Group    string
	Keywords []string
	// Service is the staff service the reports go to ("technique");
	// ContractorEmail, an outside contractor mailed each new report.
	Service, ContractorEmail string
	// Questions are asked besides the description (Open311 attributes).
	Questions []Question
	Active    bool
	Position  int
	CreatedAt time.Time
	UpdatedAt time.Time
}

var (
	slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	codeRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,40}$`)
)

// normalize trims c's fields and checks them, with French messages per
// field.
func (c *Category) normalize() error {
	c.Code, c.Name = strings.TrimSpace(c.Code), strings.TrimSpace(c.Name)
	c.Description, c.Group = strings.TrimSpace(c.Description), strings.TrimSpace(c.Group)
	c.Service, c.ContractorEmail = strings.TrimSpace(c.Service), strings.ToLower(strings.TrimSpace(c.ContractorEmail))
	c.Keywords = cleanKeywords(c.Keywords)
	errs := map[string]string{}
	if !slugRE.MatchString(c.Code) || len(c.Code) > 60 {
		errs["code"] = "Le code s'écrit en minuscules sans accents, avec des tirets (60 caractères au plus), par exemple voirie-nid-de-poule."
	}
	publishing.CheckText(errs, "name", c.Name, 2, 120, "Donnez un nom à la catégorie.", "Le nom dépasse 120 caractères.")
	publishing.CheckText(errs, "description", c.Description, 0, 1000, "", "La description dépasse 1 000 caractères.")
	publishing.CheckText(errs, "group", c.Group, 0, 80, "", "Le groupe dépasse 80 caractères.")
	if c.Service != "" && (!slugRE.MatchString(c.Service) || len(c.Service) > 40) {
		errs["service"] = "Choisissez un service de la liste."
	}
	if c.ContractorEmail != "" && !plainAddress(c.ContractorEmail) {
		errs["contractor_email"] = "Indiquez une adresse électronique valide, par exemple voirie@entreprise.fr."
	}
	checkQuestions(errs, c.Questions)
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

// plainAddress reports whether s is a bare email address.
func plainAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s && len(s) <= 254
}

// cleanKeywords splits keywords at commas (how they are stored), and
// lower-cases and deduplicates them.
func cleanKeywords(in []string) []string {
	var out []string
	for _, k := range strings.Split(strings.Join(in, ","), ",") {
		k = strings.ToLower(strings.Join(strings.Fields(k), " "))
		if k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

const categoryCols = `id, tenant_id, code, name, description, grp, keywords, service, contractor_email, questions, active,
	position, created_at, updated_at`

func scanCategory(r db.Row) (*Category, error) {
	var c Category
	var keywords, questions string
	err := r.Scan(&c.ID, &c.TenantID, &c.Code, &c.Name, &c.Description, &c.Group, &keywords, &c.Service,
		&c.ContractorEmail, &questions, &c.Active, &c.Position, &c.CreatedAt, &c.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if keywords != "" {
		c.Keywords = strings.Split(keywords, ",")
	}
	if err := json.Unmarshal([]byte(questions), &c.Questions); err != nil {
		return nil, fmt.Errorf("questions of category %s: %w", c.ID, err)
	}
	return &c, nil
}

// ErrCodeTaken is a code another category of the collectivité has.
var ErrCodeTaken = guichet.Invalid(map[string]string{"code": "Une autre catégorie porte déjà ce code : choisissez-en un autre."})

// CreateCategory adds a category, active or not as c.Active says.
func (s *Store) CreateCategory(ctx context.Context, c *Category) error {
	if err := c.normalize(); err != nil {
		return err
	}
	qs, err := json.Marshal(orEmpty(c.Questions))
	if err != nil {
		return err
	}
	now := s.now()
	c.ID, c.CreatedAt, c.UpdatedAt = uuid.NewString(), now, now
	_, err = s.db.Exec(ctx, `INSERT INTO report_categories (`+categoryCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.TenantID, c.Code, c.Name, c.Description, c.Group, strings.Join(c.Keywords, ","), c.Service,
		c.ContractorEmail, string(qs), c.Active, c.Position, now, now)
	if db.IsUniqueViolation(err) {
		return ErrCodeTaken
	}
	return wrap("create category", err)
}

func orEmpty(qs []Question) []Question {
	if qs == nil {
		return []Question{}
	}
	return qs
}

// UpdateCategory saves a category's fields, its active flag included.
func (s *Store) UpdateCategory(ctx context.Context, c *Category) error {
	if err := c.normalize(); err != nil {
		return err
	}
	qs, err := json.Marshal(orEmpty(c.Questions))
	if err != nil {
		return err
	}
	c.UpdatedAt = s.now()
	n, err := db.Affected(ctx, s.db, `UPDATE report_categories SET code = ?, name = ?, description = ?, grp = ?, keywords = ?,
		service = ?, contractor_email = ?, questions = ?, active = ?, position = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
		c.Code, c.Name, c.Description, c.Group, strings.Join(c.Keywords, ","), c.Service, c.ContractorEmail, string(qs),
		c.Active, c.Position, c.UpdatedAt, c.TenantID, c.ID)
	if db.IsUniqueViolation(err) {
		return ErrCodeTaken
	}
	if err == nil && n == 0 {
		return ErrNotFound
	}
	return wrap("update category", err)
}

// DeactivateCategory takes a category off the form and Open311's list;
// its reports stay as they are.
func (s *Store) DeactivateCategory(ctx context.Context, tenantID, id string) error {
	n, err := db.Affected(ctx, s.db, `UPDATE report_categories SET active = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
		false, s.now(), tenantID, id)
	if err == nil && n == 0 {
		return ErrNotFound
	}
	return wrap("deactivate category", err)
}

// Category returns one of the collectivité's categories, active or not.
func (s *Store) Category(ctx context.Context, tenantID, id string) (*Category, error) {
	c, err := categoryQ(ctx, s.db, tenantID, id)
	return c, wrap("category", err)
}

func categoryQ(ctx context.Context, q db.Querier, tenantID, id string) (*Category, error) {
	return scanCategory(q.QueryRow(ctx, `SELECT `+categoryCols+` FROM report_categories WHERE tenant_id = ? AND id = ?`,
		tenantID, id))
}

// CategoryByCode returns an active category by its code (Open311's
// service_code).
func (s *Store) CategoryByCode(ctx context.Context, tenantID, code string) (*Category, error) {
	c, err := scanCategory(s.db.QueryRow(ctx, `SELECT `+categoryCols+` FROM report_categories
		WHERE tenant_id = ? AND code = ? AND active = ?`, tenantID, code, true))
	return c, wrap("category by code", err)
}

// ActiveCategories lists the categories residents may report in, by
// position then name.
func (s *Store) ActiveCategories(ctx context.Context, tenantID string) ([]*Category, error) {
	return s.categories(ctx, `tenant_id = ? AND active = ?`, tenantID, true)
}

// Categories lists every category of the collectivité, inactive ones
// too, by position then name.
func (s *Store) Categories(ctx context.Context, tenantID string) ([]*Category, error) {
	return s.categories(ctx, `tenant_id = ?`, tenantID)
}

func (s *Store) categories(ctx context.Context, where string, args ...any) ([]*Category, error) {
	var out []*Category
	err := db.Each(ctx, s.db, `SELECT `+categoryCols+` FROM report_categories WHERE `+where+` ORDER BY position, name, id`,
		func(r db.Row) error {
			c, err := scanCategory(r)
			if err == nil {
				out = append(out, c)
			}
			return err
		}, args...)
	return out, wrap("categories", err)
}
