package attractiveness

import (
	"context"
	"fmt"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/privacy"
)

// WithdrawnDays: a premise taken off the site is deleted, with its
// contact's name, address and number, a year after its last change.
const WithdrawnDays = 365

// PurgeWithdrawn deletes the premises withdrawn for WithdrawnDays.
func (s *Store) PurgeWithdrawn(ctx context.Context) (int64, error) {
	res, err := s.db.Exec(ctx, `DELETE FROM attractiveness_premises WHERE published = ? AND updated_at < ?`,
		false, privacy.Cutoff(s.now(), WithdrawnDays))
	if err != nil {
		return 0, fmt.Errorf("attractiveness: retention: %w", err)
	}
	return res.RowsAffected()
}

// RetentionRules returns the rule the periodic retention job applies.
func (s *Store) RetentionRules() []privacy.Rule {
	return []privacy.Rule{{Key: "attractiveness.premises", Apply: s.PurgeWithdrawn}}
}

// Processing returns the register's line: the people to contact about a
// premise, and the economic service's contact; its texts are in the web
// module's catalogue.
func (s *Store) Processing() []privacy.Activity {
	const k = "attractiveness.privacy.contacts."
	return []privacy.Activity{{Key: "attractiveness.contacts", Order: 280, Bases: []privacy.Basis{privacy.PublicTask},
		Name: privacy.T(k + "name"), Purpose: privacy.T(k + "purpose"), People: privacy.T(k + "people"),
		Data: privacy.T(k + "data"), Retention: privacy.T(k+"retention", WithdrawnDays), Recipients: privacy.T(k + "recipients"),
		InUse: s.InUse}}
}

// InUse reports whether the collectivité lists premises or contacts.
func (s *Store) InUse(ctx context.Context, tenantID string) (bool, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM attractiveness_premises WHERE tenant_id = ?)
		+ (SELECT COUNT(*) FROM attractiveness_contacts WHERE tenant_id = ?)`, tenantID, tenantID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("attractiveness: in use: %w", err)
	}
	return n > 0, nil
}

// exportedContact is what a data export shows of a premise whose contact
// is the person.
type exportedContact struct {
	Premise string `json:"premise"`
	Name    string `json:"name"`
	Email   string `json:"email"`
	Phone   string `json:"phone"`
	Online  bool   `json:"online"`
}

// Export returns the premises whose contact address is the person's
// proven one, and the economic service's contact when it is theirs.
func (s *Store) Export(ctx context.Context, p account.Person) (any, error) {
	where, args := p.Match("", "contact_email")
	rows, err := s.db.Query(ctx, `SELECT title, contact_name, contact_email, contact_phone, published FROM attractiveness_premises
		WHERE tenant_id = ? AND `+where+` ORDER BY created_at`, append([]any{p.TenantID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("attractiveness: export: %w", err)
	}
	defer rows.Close()
	out := []exportedContact{}
	for rows.Next() {
		var e exportedContact
		if err := rows.Scan(&e.Premise, &e.Name, &e.Email, &e.Phone, &e.Online); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	c, err := s.Contacts(ctx, p.TenantID)
	if err != nil {
		return nil, err
	}
	if p.Email != "" && c.Email == p.Email {
		out = append(out, exportedContact{Premise: c.Service, Name: c.Person, Email: c.Email, Phone: c.Phone, Online: true})
	}
	return out, nil
}

// Eraser says what erasing a person does here: their name, address and
// number leave the premises they were the contact of (taken off the site
// until another contact is given) and the economic service's contacts.
func (s *Store) Eraser() account.Eraser {
	return account.Eraser{Name: "attractiveness", Effect: "attractiveness.privacy.erase", Erase: s.Erase}
}

// Erase carries out Eraser for p.
func (s *Store) Erase(ctx context.Context, p account.Person) error {
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		where, args := p.Match("", "contact_email")
		if _, err := tx.Exec(ctx, `UPDATE attractiveness_premises SET contact_name = '', contact_email = '', contact_phone = '',
			published = ?, updated_at = ? WHERE tenant_id = ? AND `+where, append([]any{false, s.now(), p.TenantID}, args...)...); err != nil {
			return err
		}
		where, args = p.Match("", "email")
		_, err := tx.Exec(ctx, `UPDATE attractiveness_contacts SET person = '', email = '', phone = '', updated_at = ?
			WHERE tenant_id = ? AND `+where, append([]any{s.now(), p.TenantID}, args...)...)
		return err
	})
	if err != nil {
		return fmt.Errorf("attractiveness: erase: %w", err)
	}
	return nil
}
