package network

import (
	"context"
	"database/sql"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
)

// Where a contact's consent comes from.
const (
	ConsentForm        = "formulaire" // a signed form
	ConsentEmail       = "courriel"   // an email from the person
	ConsentDeclaration = "declaration"
	// ConsentDeclaration: declared by the organisation, whose manager
	// entered the contact and says the person agreed.
)

// ConsentSources lists the sources in the order forms offer them; their
// labels are the web layer's messages "network.consent.X".
var ConsentSources = []string{ConsentForm, ConsentEmail, ConsentDeclaration}

// Contact is a contact person or a leader of an organisation, kept only
// with their consent, for the collectivité to plan its work with local
// organisations.
type Contact struct {
	ID, TenantID, EntryID string
	Name, Role            string // Role: "présidente", "directeur"
	Email, Phone          string
	Leader                bool
	// ConsentAt is when the person agreed, ConsentSource how.
	ConsentAt     time.Time
	ConsentSource string
	// Confirmed is the consent's last confirmation: the contact is erased
	// ContactYears after it.
	Confirmed time.Time
	// EnteredBy is the account of the organisation's manager who entered
	// the contact, empty when staff did.
	EnteredBy        string
	Created, Updated time.Time
}

// ContactYears is how long a contact is kept after the last confirmation
// of their consent.
const ContactYears = 3

func (c *Contact) validate(now time.Time) error {
	errs := map[string]string{}
	c.Name, c.Role = strings.TrimSpace(c.Name), strings.TrimSpace(c.Role)
	c.Email, c.Phone = strings.TrimSpace(c.Email), strings.TrimSpace(c.Phone)
	switch {
	case c.Name == "":
		errs["name"] = "Indiquez le nom de la personne."
	case utf8.RuneCountInString(c.Name) > 120:
		errs["name"] = "Le nom dépasse 120 caractères."
	}
	if utf8.RuneCountInString(c.Role) > 80 {
		errs["role"] = "La fonction dépasse 80 caractères."
	}
	if utf8.RuneCountInString(c.Phone) > 30 {
		errs["phone"] = "Le numéro de téléphone dépasse 30 caractères."
	}
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email || len(c.Email) > 254 ||
			!strings.Contains(c.Email[strings.LastIndexByte(c.Email, '@'):], ".") {
			errs["email"] = "Cette adresse électronique ne se lit pas : écrivez-la comme nom@exemple.fr."
		}
	}
	if c.Email == "" && c.Phone == "" {
		errs["email"] = "Donnez une adresse électronique ou un téléphone pour joindre la personne."
	}
	if !slices.Contains(ConsentSources, c.ConsentSource) {
		errs["consent_source"] = "Indiquez comment la personne a donné son accord."
	}
	switch {
	case c.ConsentAt.IsZero():
		errs["consent_date"] = "Indiquez la date de l'accord."
	case c.ConsentAt.After(now):
		errs["consent_date"] = "La date de l'accord ne peut pas être dans le futur."
	case c.ConsentAt.Before(now.AddDate(-ContactYears, 0, 0)):
		errs["consent_date"] = "Cet accord a plus de trois ans : demandez-le de nouveau."
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

// AddContact records a contact of a published organisation, with their
// consent.
func (s *Store) AddContact(ctx context.Context, c *Contact) error {
	now := s.now()
	if err := c.validate(now); err != nil {
		return err
	}
	if err := s.checkOrganisations(ctx, c.TenantID, c.EntryID); err != nil {
		return guichet.Errorf(guichet.ENotFound, "Cette organisation n'est pas dans l'annuaire.")
	}
	c.ID, c.Created, c.Updated, c.Confirmed = uuid.NewString(), now, now, c.ConsentAt.UTC()
	_, err := s.db.Exec(ctx, `INSERT INTO network_contacts (id, tenant_id, entry_id, name, role, email, phone, leader,
		consent_at, consent_source, confirmed_at, entered_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.TenantID, c.EntryID, c.Name, c.Role, c.Email, c.Phone, c.Leader, c.ConsentAt.UTC(), c.ConsentSource, c.Confirmed,
		c.EnteredBy, now, now)
	if err != nil {
		return fmt.Errorf("network: add contact: %w", err)
	}
	return nil
}

// ConfirmConsent records that the person confirmed their consent today:
// their contact is kept ContactYears more.
func (s *Store) ConfirmConsent(ctx context.Context, tenantID, id string) error {
	now := s.now()
	n, err := db.Affected(ctx, s.db, `UPDATE network_contacts SET confirmed_at = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
		now, now, tenantID, id)
	if err != nil {
		return fmt.Errorf("network: confirm consent: %w", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// Withdraw erases a contact whose consent was withdrawn (or who left the
// organisation): nothing of them is kept.
func (s *Store) Withdraw(ctx context.Context, tenantID, id string) error {
	n, err := db.Affected(ctx, s.db, `DELETE FROM network_contacts WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return fmt.Errorf("network: withdraw contact: %w", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

const contactColumns = `id, tenant_id, entry_id, name, role, email, phone, leader, consent_at, consent_source, confirmed_at,
	entered_by, created_at, updated_at`

func scanContact(r db.Row) (*Contact, error) {
	c := &Contact{}
	if err := r.Scan(&c.ID, &c.TenantID, &c.EntryID, &c.Name, &c.Role, &c.Email, &c.Phone, &c.Leader, &c.ConsentAt,
		&c.ConsentSource, &c.Confirmed, &c.EnteredBy, &c.Created, &c.Updated); err != nil {
		return nil, err
	}
	c.ConsentAt, c.Confirmed, c.Created, c.Updated = c.ConsentAt.UTC(), c.Confirmed.UTC(), c.Created.UTC(), c.Updated.UTC()
	return c, nil
}

// Contact returns one contact of the collectivité.
func (s *Store) Contact(ctx context.Context, tenantID, id string) (*Contact, error) {
	c, err := scanContact(s.db.QueryRow(ctx, `SELECT `+contactColumns+` FROM network_contacts WHERE tenant_id = ? AND id = ?`,
		tenantID, id))
	if err == sql.ErrNoRows {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("network: contact: %w", err)
	}
	return c, nil
}

// Contacts lists the contacts of the organisations given (all of the
// collectivité's when none is), leaders first, then by name.
func (s *Store) Contacts(ctx context.Context, tenantID string, entryIDs ...string) ([]*Contact, error) {
	where, args := `tenant_id = ?`, []any{tenantID}
	if len(entryIDs) > 0 {
		where += ` AND entry_id IN (` + marks(len(entryIDs)) + `)`
		args = append(args, anys(entryIDs)...)
	}
	var out []*Contact
	err := db.Each(ctx, s.db, `SELECT `+contactColumns+` FROM network_contacts WHERE `+where+` ORDER BY leader DESC, name, id`,
		func(r db.Row) error {
			c, err := scanContact(r)
			if err == nil {
				out = append(out, c)
			}
			return err
		}, args...)
	if err != nil {
		return nil, fmt.Errorf("network: contacts: %w", err)
	}
	return out, nil
}

// ContactCounts returns the number of contacts of each organisation that
// has some.
func (s *Store) ContactCounts(ctx context.Context, tenantID string) (map[string]int, error) {
	out := map[string]int{}
	err := db.Each(ctx, s.db, `SELECT entry_id, COUNT(*) FROM network_contacts WHERE tenant_id = ? GROUP BY entry_id`,
		func(r db.Row) error {
			var id string
			var n int
			err := r.Scan(&id, &n)
			out[id] = n
			return err
		}, tenantID)
	if err != nil {
		return nil, fmt.Errorf("network: contact counts: %w", err)
	}
	return out, nil
}
