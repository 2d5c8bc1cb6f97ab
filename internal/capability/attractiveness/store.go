package attractiveness

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
)

// Store keeps a collectivité's premises, aids and contacts; every query
// filters by tenant_id, except the retention run's.
type Store struct {
	db *db.DB
	// Now is the clock every rule reads.
	Now clock.Clock
}

// NewStore returns the store.
func NewStore(d *db.DB) *Store { return &Store{db: d, Now: clock.System} }

// DB returns the store's database.
func (s *Store) DB() *db.DB { return s.db }

func (s *Store) now() time.Time { return s.Now().UTC() }

// ErrNotFound is a premise or an aid the collectivité does not have.
var ErrNotFound = guichet.Errorf(guichet.ENotFound, "Cette annonce ou cette aide n'existe pas.")

const premiseCols = `id, tenant_id, slug, title, kind, address, surface, deal, price_cents, price_unit, tax, available_from,
	description, contact_name, contact_email, contact_phone, published, created_at, updated_at`

func scanPremise(row interface{ Scan(...any) error }) (*Premise, error) {
	var p Premise
	err := row.Scan(&p.ID, &p.TenantID, &p.Slug, &p.Title, &p.Kind, &p.Address, &p.Surface, &p.Deal, &p.PriceCents,
		&p.Unit, &p.Tax, &p.AvailableFrom, &p.Description, &p.ContactName, &p.ContactEmail, &p.ContactPhone,
		&p.Published, &p.CreatedAt, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("attractiveness: premise: %w", err)
	}
	return &p, nil
}

func (s *Store) premises(ctx context.Context, query string, args ...any) ([]*Premise, error) {
	rows, err := s.db.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("attractiveness: premises: %w", err)
	}
	defer rows.Close()
	var out []*Premise
	for rows.Next() {
		p, err := scanPremise(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Premises lists every premise of the collectivité, the latest first.
func (s *Store) Premises(ctx context.Context, tenantID string) ([]*Premise, error) {
	return s.premises(ctx, `SELECT `+premiseCols+` FROM attractiveness_premises WHERE tenant_id = ?
		ORDER BY created_at DESC, id`, tenantID)
}

// PublishedPremises lists the premises on offer, by kind then title.
func (s *Store) PublishedPremises(ctx context.Context, tenantID string) ([]*Premise, error) {
	return s.premises(ctx, `SELECT `+premiseCols+` FROM attractiveness_premises WHERE tenant_id = ? AND published = ?
		ORDER BY CASE kind WHEN 'commerce' THEN 0 WHEN 'bureau' THEN 1 WHEN 'atelier' THEN 2 ELSE 3 END, title, id`, tenantID, true)
}

// Premise returns one of the collectivité's premises.
func (s *Store) Premise(ctx context.Context, tenantID, id string) (*Premise, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, ErrNotFound
	}
	return scanPremise(s.db.QueryRow(ctx, `SELECT `+premiseCols+` FROM attractiveness_premises WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// PublishedPremise returns a premise on offer by its address.
func (s *Store) PublishedPremise(ctx context.Context, tenantID, slug string) (*Premise, error) {
	return scanPremise(s.db.QueryRow(ctx, `SELECT `+premiseCols+` FROM attractiveness_premises
		WHERE tenant_id = ? AND slug = ? AND published = ?`, tenantID, slug, true))
}

// AddPremise checks and saves a new premise, its address made from its
// title.
func (s *Store) AddPremise(ctx context.Context, p *Premise) error {
	if err := p.Check(); err != nil {
		return err
	}
	now := s.now()
	p.ID, p.Slug, p.CreatedAt, p.UpdatedAt = uuid.NewString(), publishing.Slugify(p.Title), now, now
	return publishing.InsertWithSlug(ctx, s.db, &p.Slug, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO attractiveness_premises (`+premiseCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.ID, p.TenantID, p.Slug, p.Title, p.Kind, p.Address, p.Surface, p.Deal, p.PriceCents, p.Unit, p.Tax,
			p.AvailableFrom, p.Description, p.ContactName, p.ContactEmail, p.ContactPhone, p.Published, p.CreatedAt, p.UpdatedAt)
		return err
	})
}

// UpdatePremise checks and saves p's fields; its address stays.
func (s *Store) UpdatePremise(ctx context.Context, p *Premise) error {
	if err := p.Check(); err != nil {
		return err
	}
	p.UpdatedAt = s.now()
	res, err := s.db.Exec(ctx, `UPDATE attractiveness_premises SET title = ?, kind = ?, address = ?, surface = ?, deal = ?,
		price_cents = ?, price_unit = ?, tax = ?, available_from = ?, description = ?, contact_name = ?, contact_email = ?,
		contact_phone = ?, published = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
		p.Title, p.Kind, p.Address, p.Surface, p.Deal, p.PriceCents, p.Unit, p.Tax, p.AvailableFrom, p.Description,
		p.ContactName, p.ContactEmail, p.ContactPhone, p.Published, p.UpdatedAt, p.TenantID, p.ID)
	return oneRow(res, err, "update premise")
}

// DeletePremise removes a premise.
func (s *Store) DeletePremise(ctx context.Context, tenantID, id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return ErrNotFound
	}
	res, err := s.db.Exec(ctx, `DELETE FROM attractiveness_premises WHERE tenant_id = ? AND id = ?`, tenantID, id)
	return oneRow(res, err, "delete premise")
}

func oneRow(res sql.Result, err error, what string) error {
	if err != nil {
		return fmt.Errorf("attractiveness: %s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return ErrNotFound
	}
	return nil
}

const aidCols = `id, tenant_id, name, funder, eligible, amount, link, created_at`

func scanAid(row interface{ Scan(...any) error }) (*Aid, error) {
	var a Aid
	err := row.Scan(&a.ID, &a.TenantID, &a.Name, &a.Funder, &a.Eligible, &a.Amount, &a.Link, &a.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("attractiveness: aid: %w", err)
	}
	return &a, nil
}

// Aids lists the collectivité's aids, the closest funder first.
func (s *Store) Aids(ctx context.Context, tenantID string) ([]*Aid, error) {
	rows, err := s.db.Query(ctx, `SELECT `+aidCols+` FROM attractiveness_aids WHERE tenant_id = ?
		ORDER BY CASE funder WHEN 'commune' THEN 0 WHEN 'intercommunalite' THEN 1 WHEN 'region' THEN 2 ELSE 3 END, name, id`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("attractiveness: aids: %w", err)
	}
	defer rows.Close()
	var out []*Aid
	for rows.Next() {
		a, err := scanAid(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Aid returns one of the collectivité's aids.
func (s *Store) Aid(ctx context.Context, tenantID, id string) (*Aid, error) {
	if _, err := uuid.Parse(id); err != nil {
		return nil, ErrNotFound
	}
	return scanAid(s.db.QueryRow(ctx, `SELECT `+aidCols+` FROM attractiveness_aids WHERE tenant_id = ? AND id = ?`, tenantID, id))
}

// AddAid checks and saves a new aid.
func (s *Store) AddAid(ctx context.Context, a *Aid) error {
	if err := a.Check(); err != nil {
		return err
	}
	now := s.now()
	a.ID, a.CreatedAt = uuid.NewString(), now
	_, err := s.db.Exec(ctx, `INSERT INTO attractiveness_aids (id, tenant_id, name, funder, eligible, amount, link, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.TenantID, a.Name, a.Funder, a.Eligible, a.Amount, a.Link, now, now)
	if err != nil {
		return fmt.Errorf("attractiveness: add aid: %w", err)
	}
	return nil
}

// UpdateAid checks and saves a's fields.
func (s *Store) UpdateAid(ctx context.Context, a *Aid) error {
	if err := a.Check(); err != nil {
		return err
	}
	res, err := s.db.Exec(ctx, `UPDATE attractiveness_aids SET name = ?, funder = ?, eligible = ?, amount = ?, link = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ?`, a.Name, a.Funder, a.Eligible, a.Amount, a.Link, s.now(), a.TenantID, a.ID)
	return oneRow(res, err, "update aid")
}

// DeleteAid removes an aid.
func (s *Store) DeleteAid(ctx context.Context, tenantID, id string) error {
	if _, err := uuid.Parse(id); err != nil {
		return ErrNotFound
	}
	res, err := s.db.Exec(ctx, `DELETE FROM attractiveness_aids WHERE tenant_id = ? AND id = ?`, tenantID, id)
	return oneRow(res, err, "delete aid")
}

// Contacts returns the economic service's contacts, empty ones when none
// were saved.
func (s *Store) Contacts(ctx context.Context, tenantID string) (*Contacts, error) {
	c := Contacts{TenantID: tenantID}
	err := s.db.QueryRow(ctx, `SELECT service, person, email, phone, address, hours FROM attractiveness_contacts WHERE tenant_id = ?`,
		tenantID).Scan(&c.Service, &c.Person, &c.Email, &c.Phone, &c.Address, &c.Hours)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("attractiveness: contacts: %w", err)
	}
	return &c, nil
}

// SaveContacts checks and saves the economic service's contacts.
func (s *Store) SaveContacts(ctx context.Context, c *Contacts) error {
	if err := c.Check(); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM attractiveness_contacts WHERE tenant_id = ?`, c.TenantID); err != nil {
			return fmt.Errorf("attractiveness: save contacts: %w", err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO attractiveness_contacts (tenant_id, service, person, email, phone, address, hours, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.TenantID, c.Service, c.Person, c.Email, c.Phone, c.Address, c.Hours, s.now())
		if err != nil {
			return fmt.Errorf("attractiveness: save contacts: %w", err)
		}
		return nil
	})
}
