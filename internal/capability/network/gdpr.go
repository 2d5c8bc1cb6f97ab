package network

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/privacy"
)

// DeclinedDays is how long a declined proposal stays, for its proposer to
// read staff's reason.
const DeclinedDays = 365

// Processing returns the network's lines of the register: the contacts,
// kept with their consent; and the campaigns' recipients and the
// proposals' authors, the collectivité's work with local organisations.
// Their texts are in the network web module's catalogue.
func (s *Store) Processing() []privacy.Activity {
	const c, w = "network.privacy.contacts.", "network.privacy.work."
	return []privacy.Activity{
		{Key: "network.contacts", Order: 290, Bases: []privacy.Basis{privacy.Consent},
			Name: privacy.T(c + "name"), Purpose: privacy.T(c + "purpose"), People: privacy.T(c + "people"),
			Data: privacy.T(c + "data"), Retention: privacy.T(c+"retention", ContactYears), Recipients: privacy.T(c + "recipients"),
			InUse: s.inUse},
		{Key: "network.work", Order: 291, Bases: []privacy.Basis{privacy.PublicTask},
			Name: privacy.T(w + "name"), Purpose: privacy.T(w + "purpose"), People: privacy.T(w + "people"),
			Data: privacy.T(w + "data"), Retention: privacy.T(w+"retention", CampaignDays, DeclinedDays), Recipients: privacy.T(w + "recipients"),
			InUse: s.inUse},
	}
}

// inUse reports whether the collectivité keeps a network: ties, contacts
// or campaigns.
func (s *Store) inUse(ctx context.Context, tenantID string) (bool, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM network_ties WHERE tenant_id = ? LIMIT 1) t)
		+ (SELECT COUNT(*) FROM (SELECT 1 FROM network_contacts WHERE tenant_id = ? LIMIT 1) c)`, tenantID, tenantID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("network: in use: %w", err)
	}
	return n > 0, nil
}

// RetentionRules returns the rules the periodic retention job applies.
func (s *Store) RetentionRules() []privacy.Rule {
	return []privacy.Rule{
		{Key: "network.contacts", Apply: s.PurgeContacts},
		{Key: "network.campaigns", Apply: s.PurgeCampaigns},
		{Key: "network.declined", Apply: s.PurgeDeclined},
	}
}

// PurgeContacts erases the contacts whose consent was last confirmed more
// than ContactYears ago.
func (s *Store) PurgeContacts(ctx context.Context) (int64, error) {
	n, err := db.Affected(ctx, s.db, `DELETE FROM network_contacts WHERE confirmed_at < ?`, s.now().AddDate(-ContactYears, 0, 0))
	if err != nil {
		return 0, fmt.Errorf("network: retention of contacts: %w", err)
	}
	return n, nil
}

// PurgeCampaigns deletes the campaigns, and their recipients, sent more
// than CampaignDays ago.
func (s *Store) PurgeCampaigns(ctx context.Context) (int64, error) {
	cutoff := privacy.Cutoff(s.now(), CampaignDays)
	var n int64
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM network_recipients WHERE campaign_id IN
			(SELECT id FROM network_campaigns WHERE sent_at < ?)`, cutoff); err != nil {
			return err
		}
		var err error
		n, err = db.Affected(ctx, tx, `DELETE FROM network_campaigns WHERE sent_at < ?`, cutoff)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("network: retention of campaigns: %w", err)
	}
	return n, nil
}

// PurgeDeclined deletes the proposals declined more than DeclinedDays
// ago.
func (s *Store) PurgeDeclined(ctx context.Context) (int64, error) {
	n, err := db.Affected(ctx, s.db, `DELETE FROM network_ties WHERE state = ? AND decided_at < ?`,
		Declined, privacy.Cutoff(s.now(), DeclinedDays))
	if err != nil {
		return 0, fmt.Errorf("network: retention of proposals: %w", err)
	}
	return n, nil
}

// exported is what a data export shows of the network.
type exported struct {
	Contacts  []exportedContact  `json:"contacts"`
	Received  []exportedReceived `json:"campaigns_received"`
	Proposals []exportedProposal `json:"ties_proposed"`
}

type exportedContact struct {
	Organisation  string    `json:"organisation"`
	Name          string    `json:"name"`
	Role          string    `json:"role,omitempty"`
	Email         string    `json:"email,omitempty"`
	Phone         string    `json:"phone,omitempty"`
	Leader        bool      `json:"leader"`
	ConsentAt     time.Time `json:"consent_at"`
	ConsentSource string    `json:"consent_source"`
	ConfirmedAt   time.Time `json:"confirmed_at"`
}

type exportedReceived struct {
	Subject      string    `json:"subject"`
	Organisation string    `json:"organisation"`
	Email        string    `json:"email"`
	SentAt       time.Time `json:"sent_at"`
}

type exportedProposal struct {
	From      string    `json:"from"`
	To        string    `json:"to"`
	Kind      string    `json:"kind"`
	State     string    `json:"state"`
	CreatedAt time.Time `json:"created_at"`
}

// Export returns what the network holds of a person: the contacts that
// carry their proven address, the campaigns mailed to it, and the ties
// their account proposed.
func (s *Store) Export(ctx context.Context, p account.Person) (any, error) {
	out := exported{Contacts: []exportedContact{}, Received: []exportedReceived{}, Proposals: []exportedProposal{}}
	if p.Email != "" {
		err := db.Each(ctx, s.db, `SELECT entry_id, name, role, email, phone, leader, consent_at, consent_source, confirmed_at
			FROM network_contacts WHERE tenant_id = ? AND LOWER(email) = ? ORDER BY created_at`, func(r db.Row) error {
			var c exportedContact
			err := r.Scan(&c.Organisation, &c.Name, &c.Role, &c.Email, &c.Phone, &c.Leader, &c.ConsentAt, &c.ConsentSource, &c.ConfirmedAt)
			out.Contacts = append(out.Contacts, c)
			return err
		}, p.TenantID, p.Email)
		if err != nil {
			return nil, fmt.Errorf("network: export contacts: %w", err)
		}
		err = db.Each(ctx, s.db, `SELECT c.subject, r.entry_name, r.email, c.sent_at FROM network_recipients r
			JOIN network_campaigns c ON c.id = r.campaign_id WHERE r.tenant_id = ? AND LOWER(r.email) = ? ORDER BY c.sent_at`,
			func(r db.Row) error {
				var e exportedReceived
				err := r.Scan(&e.Subject, &e.Organisation, &e.Email, &e.SentAt)
				out.Received = append(out.Received, e)
				return err
			}, p.TenantID, p.Email)
		if err != nil {
			return nil, fmt.Errorf("network: export campaigns: %w", err)
		}
	}
	if p.UserID != "" {
		err := db.Each(ctx, s.db, `SELECT from_entry, to_entry, kind, state, created_at FROM network_ties
			WHERE tenant_id = ? AND proposed_by = ? ORDER BY created_at`, func(r db.Row) error {
			var e exportedProposal
			err := r.Scan(&e.From, &e.To, &e.Kind, &e.State, &e.CreatedAt)
			out.Proposals = append(out.Proposals, e)
			return err
		}, p.TenantID, p.UserID)
		if err != nil {
			return nil, fmt.Errorf("network: export proposals: %w", err)
		}
	}
	return out, nil
}

// Eraser says what erasing a person does to the network: the contacts
// carrying their address and the campaigns' lines to it are deleted; the
// ties they proposed and the contacts they entered stay, about the
// organisations, without their account.
func (s *Store) Eraser() account.Eraser {
	return account.Eraser{Name: "network", Effect: "network.privacy.erase", Erase: s.Erase}
}

// Erase carries out Eraser for p.
func (s *Store) Erase(ctx context.Context, p account.Person) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		if p.Email != "" {
			if _, err := tx.Exec(ctx, `DELETE FROM network_contacts WHERE tenant_id = ? AND LOWER(email) = ?`, p.TenantID, p.Email); err != nil {
				return fmt.Errorf("network: erase contacts: %w", err)
			}
			if _, err := tx.Exec(ctx, `DELETE FROM network_recipients WHERE tenant_id = ? AND LOWER(email) = ?`, p.TenantID, p.Email); err != nil {
				return fmt.Errorf("network: erase recipients: %w", err)
			}
		}
		if p.UserID != "" {
			if _, err := tx.Exec(ctx, `UPDATE network_ties SET proposed_by = '' WHERE tenant_id = ? AND proposed_by = ?`,
				p.TenantID, p.UserID); err != nil {
				return fmt.Errorf("network: erase proposals: %w", err)
			}
			if _, err := tx.Exec(ctx, `UPDATE network_contacts SET entered_by = '' WHERE tenant_id = ? AND entered_by = ?`,
				p.TenantID, p.UserID); err != nil {
				return fmt.Errorf("network: erase contacts entered: %w", err)
			}
		}
		return nil
	})
}
