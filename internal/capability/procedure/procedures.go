package procedure

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
)

// Silence is what a procedure's silence means once its deadline passes.
type Silence string

// The values of Silence.
const (
	SilenceNone   Silence = ""       // nothing happens: the agent decides
	SilenceAccord Silence = "accord" // silence vaut accord
	SilenceRejet  Silence = "rejet"  // silence vaut rejet
)

// Procedure is an online procedure: its settings, the draft of its form
// being edited, and the number of its published version (0: never).
type Procedure struct {
	ID       string
	TenantID string
	Slug     string
	Title    string
	Summary  string
	// Service scopes the procedure to agents of that service ("etat-civil").
	Service string
	// Anonymous allows filing without an account, after email verification.
	Anonymous        bool
	DeadlineDays     int
	Silence          Silence
	RetentionDays    int
	DecisionTemplate string
	Draft            *Form
	Version          int
	Open             bool
	// Application is the kind of urban-planning application the
	// procedure takes ("DP", "PCMI"…; "" for an ordinary procedure): the
	// law then times its cases (applications.go).
	Application string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Published reports whether residents can start the procedure.
func (p *Procedure) Published() bool { return p.Version > 0 && p.Open }

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate checks the settings and returns errors by field name.
func (p *Procedure) Validate() error {
	errs := map[string]string{}
	p.Title, p.Slug = strings.TrimSpace(p.Title), strings.TrimSpace(p.Slug)
	if p.Title == "" || len(p.Title) > 200 {
		errs["title"] = "Donnez un titre de 1 à 200 caractères."
	}
	if !slugPattern.MatchString(p.Slug) || len(p.Slug) > 80 {
		errs["slug"] = "L'adresse ne contient que des lettres minuscules, des chiffres et des tirets."
	}
	if p.DeadlineDays < 1 || p.DeadlineDays > 730 {
		errs["deadline_days"] = "Le délai d'instruction est compris entre 1 et 730 jours."
	}
	if p.RetentionDays < 1 || p.RetentionDays > 3650 {
		errs["retention_days"] = "La durée de conservation est comprise entre 1 et 3650 jours."
	}
	if p.Silence != SilenceNone && p.Silence != SilenceAccord && p.Silence != SilenceRejet {
		errs["silence"] = "Choisissez ce que vaut le silence de l'administration."
	}
	if len(p.DecisionTemplate) > 20000 {
		errs["decision_template"] = "Le modèle de décision est trop long."
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

const procedureColumns = `id, tenant_id, slug, title, summary, service, anonymous, deadline_days, silence,
	retention_days, decision_template, draft, version, open, created_at, updated_at, application`

func scanProcedure(r interface{ Scan(...any) error }) (*Procedure, error) {
	p := &Procedure{}
	var draft, silence string
	if err := r.Scan(&p.ID, &p.TenantID, &p.Slug, &p.Title, &p.Summary, &p.Service, &p.Anonymous, &p.DeadlineDays,
		&silence, &p.RetentionDays, &p.DecisionTemplate, &draft, &p.Version, &p.Open, &p.CreatedAt, &p.UpdatedAt, &p.Application); err != nil {
		return nil, err
	}
	p.Silence = Silence(silence)
	f, err := ParseForm([]byte(draft))
	if err != nil {
		return nil, fmt.Errorf("procedure %s: stored draft: %w", p.ID, err)
	}
	p.Draft = f
	return p, nil
}

// CreateProcedure stores a new procedure with its draft form.
func (s *Store) CreateProcedure(ctx context.Context, p *Procedure) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if p.Draft == nil {
		p.Draft = &Form{}
	}
	p.ID, p.CreatedAt, p.UpdatedAt, p.Version = uuid.NewString(), s.now(), s.now(), 0
	_, err := s.db.Exec(ctx, `INSERT INTO procedures (`+procedureColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.TenantID, p.Slug, p.Title, p.Summary, p.Service, p.Anonymous, p.DeadlineDays, string(p.Silence),
		p.RetentionDays, p.DecisionTemplate, string(p.Draft.JSON()), 0, p.Open, p.CreatedAt, p.UpdatedAt, p.Application)
	if db.IsUniqueViolation(err) {
		return guichet.Invalid(map[string]string{"slug": "Une autre démarche utilise déjà cette adresse."})
	}
	if err == nil {
		s.changed(ctx, p.TenantID)
	}
	return wrap("create", err)
}

// UpdateProcedure saves the settings and the draft form; the published
// versions are untouched.
func (s *Store) UpdateProcedure(ctx context.Context, p *Procedure) error {
	if err := p.Validate(); err != nil {
		return err
	}
	p.UpdatedAt = s.now()
	res, err := s.db.Exec(ctx, `UPDATE procedures SET slug = ?, title = ?, summary = ?, service = ?, anonymous = ?,
		deadline_days = ?, silence = ?, retention_days = ?, decision_template = ?, draft = ?, open = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ?`,
		p.Slug, p.Title, p.Summary, p.Service, p.Anonymous, p.DeadlineDays, string(p.Silence), p.RetentionDays,
		p.DecisionTemplate, string(p.Draft.JSON()), p.Open, p.UpdatedAt, p.TenantID, p.ID)
	if db.IsUniqueViolation(err) {
		return guichet.Invalid(map[string]string{"slug": "Une autre démarche utilise déjà cette adresse."})
	}
	if err != nil {
		return wrap("update", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	s.changed(ctx, p.TenantID)
	return nil
}

// Procedure returns one procedure by id.
func (s *Store) Procedure(ctx context.Context, tenantID, id string) (*Procedure, error) {
	p, err := scanProcedure(s.db.QueryRow(ctx, `SELECT `+procedureColumns+` FROM procedures WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return p, notFound(err)
}

// ProcedureBySlug returns one procedure by its address.
func (s *Store) ProcedureBySlug(ctx context.Context, tenantID, slug string) (*Procedure, error) {
	p, err := scanProcedure(s.db.QueryRow(ctx, `SELECT `+procedureColumns+` FROM procedures WHERE tenant_id = ? AND slug = ?`, tenantID, slug))
	return p, notFound(err)
}

// publishedColumns are what residents' pages read of a procedure: not its
// draft form, which only editors use and which took a JSON parse per
// procedure on every list.
const publishedColumns = `id, tenant_id, slug, title, summary, service, anonymous, deadline_days, silence,
	retention_days, decision_template, version, open, created_at, updated_at, application`

func scanPublished(r interface{ Scan(...any) error }) (*Procedure, error) {
	p := &Procedure{}
	var silence string
	if err := r.Scan(&p.ID, &p.TenantID, &p.Slug, &p.Title, &p.Summary, &p.Service, &p.Anonymous, &p.DeadlineDays,
		&silence, &p.RetentionDays, &p.DecisionTemplate, &p.Version, &p.Open, &p.CreatedAt, &p.UpdatedAt, &p.Application); err != nil {
		return nil, err
	}
	p.Silence = Silence(silence)
	return p, nil
}

// PublishedBySlug returns a procedure residents can start, without its
// draft (Draft is nil); ErrNotFound when there is none by that slug.
func (s *Store) PublishedBySlug(ctx context.Context, tenantID, slug string) (*Procedure, error) {
	p, err := scanPublished(s.db.QueryRow(ctx, `SELECT `+publishedColumns+` FROM procedures
		WHERE tenant_id = ? AND slug = ? AND version > 0 AND open = ?`, tenantID, slug, true))
	return p, notFound(err)
}

// PublishedProcedures lists the procedures residents can start, by title,
// without their drafts (Draft is nil).
func (s *Store) PublishedProcedures(ctx context.Context, tenantID string) ([]*Procedure, error) {
	rows, err := s.db.Query(ctx, `SELECT `+publishedColumns+` FROM procedures WHERE tenant_id = ? AND version > 0 AND open = ?
		ORDER BY title`, tenantID, true)
	if err != nil {
		return nil, wrap("list", err)
	}
	defer rows.Close()
	var out []*Procedure
	for rows.Next() {
		p, err := scanPublished(rows)
		if err != nil {
			return nil, wrap("list", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Procedures lists every procedure of a collectivité by title, drafts
// included, for its staff.
func (s *Store) Procedures(ctx context.Context, tenantID string) ([]*Procedure, error) {
	rows, err := s.db.Query(ctx, `SELECT `+procedureColumns+` FROM procedures WHERE tenant_id = ? ORDER BY title`, tenantID)
	if err != nil {
		return nil, wrap("list", err)
	}
	defer rows.Close()
	var out []*Procedure
	for rows.Next() {
		p, err := scanProcedure(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Publish freezes the draft as the next version, after the publication
// check. Open cases keep the version they started with.
func (s *Store) Publish(ctx context.Context, tenantID, id, by string) (int, error) {
	p, err := s.Procedure(ctx, tenantID, id)
	if err != nil {
		return 0, err
	}
	if err := p.Draft.CheckError(); err != nil {
		return 0, err
	}
	next := p.Version + 1
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO procedure_versions (tenant_id, procedure_id, number, definition, published_at, published_by)
			VALUES (?, ?, ?, ?, ?, ?)`, tenantID, id, next, string(p.Draft.JSON()), s.now(), by); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE procedures SET version = ?, updated_at = ? WHERE tenant_id = ? AND id = ? AND version = ?`,
			next, s.now(), tenantID, id, p.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return guichet.Errorf(guichet.EConflict, "La démarche vient d'être publiée par quelqu'un d'autre.")
		}
		return nil
	})
	if db.IsUniqueViolation(err) {
		return 0, guichet.Errorf(guichet.EConflict, "La démarche vient d'être publiée par quelqu'un d'autre.")
	}
	if err == nil {
		s.changed(ctx, tenantID)
	}
	return next, wrap("publish", err)
}

// Form returns the frozen form of a published version.
func (s *Store) Form(ctx context.Context, tenantID, procedureID string, version int) (*Form, error) {
	key := fmt.Sprintf("%s/%s/%d", tenantID, procedureID, version)
	if f, ok := s.versions.Load(key); ok {
		return f.(*Form), nil
	}
	var raw string
	err := s.db.QueryRow(ctx, `SELECT definition FROM procedure_versions WHERE tenant_id = ? AND procedure_id = ? AND number = ?`,
		tenantID, procedureID, version).Scan(&raw)
	if err != nil {
		return nil, notFound(err)
	}
	f, err := ParseForm([]byte(raw))
	if err != nil {
		return nil, fmt.Errorf("procedure: stored version %s: %w", key, err)
	}
	s.versions.Store(key, f)
	return f, nil
}
