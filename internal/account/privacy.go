package account

import (
	"context"
	"fmt"
	"time"

	"guichet/internal/privacy"
)

// UnverifiedDays is how long an account whose address was never verified
// is kept: long past its link's expiry, then it goes with its records.
const UnverifiedDays = 30

// PurgeUnverified deletes, across every collectivité, the accounts never
// verified UnverifiedDays after their creation, with what the
// capabilities hold about them, and returns how many went.
func (s *Store) PurgeUnverified(ctx context.Context) (int64, error) {
	rows, err := s.db.Query(ctx, `SELECT `+userColumns+` FROM users WHERE email_verified_at IS NULL AND created_at < ?
		ORDER BY created_at LIMIT 500`, privacy.Cutoff(s.Now(), UnverifiedDays))
	if err != nil {
		return 0, fmt.Errorf("account: unverified accounts: %w", err)
	}
	var users []*User
	for rows.Next() {
		u, _, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return 0, err
		}
		users = append(users, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for i, u := range users {
		// Unverified, the account matches no record by address: no email
		// goes out on the way, so no site address is needed.
		if err := s.DeleteAccount(ctx, u, "", time.UTC); err != nil {
			return int64(i), err
		}
	}
	return int64(len(users)), nil
}

// RetentionRules returns the rules the periodic retention job applies;
// expired sessions and tokens have their own, more frequent, job.
func (s *Store) RetentionRules() []privacy.Rule {
	return []privacy.Rule{{Key: "account.unverified", Apply: s.PurgeUnverified}}
}

// Processing returns the accounts' line of the register of processing
// activities; its texts are in the accounts web module's catalogue.
func (s *Store) Processing() []privacy.Activity {
	return []privacy.Activity{{
		Key: "account.users", Order: 10, Platform: true,
		Name: privacy.T("accounts.privacy.name"), Purpose: privacy.T("accounts.privacy.purpose"),
		Bases:  []privacy.Basis{privacy.PublicTask},
		People: privacy.T("accounts.privacy.people"), Data: privacy.T("accounts.privacy.data"),
		Retention:  privacy.T("accounts.privacy.retention", UnverifiedDays, int(VerifyTokenTTL.Hours()), int(ResetTokenTTL.Minutes())),
		Recipients: privacy.T("accounts.privacy.recipients"),
	}}
}
