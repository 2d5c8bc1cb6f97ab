package account

import (
	"context"
	"fmt"
	"time"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/privacy"
)

// Retention of accounts, in days.
const (
	// UnverifiedDays is how long an account whose address was never
	// verified is kept: long past its link's expiry, then it goes with
	// its records.
	UnverifiedDays = 30
	// InactiveDays: an account nobody signed in to for this long goes
	// with its records, its holder warned InactiveNoticeDays before.
	InactiveDays       = 3 * 365
	InactiveNoticeDays = 30
)

// seen records a sign-in: the account's inactivity starts again.
func seen(ctx context.Context, tx *db.Tx, u *User, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE users SET last_seen_at = ?, inactivity_warned_at = NULL WHERE tenant_id = ? AND id = ?`,
		now, u.TenantID, u.ID)
	return err
}

// usersWhere returns the users of every collectivité selected by where.
func (s *Store) usersWhere(ctx context.Context, where string, args ...any) ([]*User, error) {
	rows, err := s.db.Query(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("account: users: %w", err)
	}
	defer rows.Close()
	var users []*User
	for rows.Next() {
		u, _, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		users = append(users, u)
	}
	return users, rows.Err()
}

// WarnInactive mails, once, the holders of the verified accounts unused
// for InactiveDays less InactiveNoticeDays that their account will be
// deleted unless they sign in, and returns how many were warned.
func (s *Store) WarnInactive(ctx context.Context) (int64, error) {
	if s.Mail == nil || s.Sites == nil {
		return 0, nil
	}
	now := s.Now().UTC()
	users, err := s.usersWhere(ctx, `email_verified_at IS NOT NULL AND inactivity_warned_at IS NULL AND last_seen_at < ?
		ORDER BY last_seen_at LIMIT 500`, privacy.Cutoff(now, InactiveDays-InactiveNoticeDays))
	if err != nil {
		return 0, err
	}
	for i, u := range users {
		site, loc, err := s.Sites(ctx, u.TenantID)
		if err != nil {
			return int64(i), err
		}
		err = s.Mail.Enqueue(ctx, mail.Message{TenantID: u.TenantID, To: u.Email, Template: "accounts/inactive", Lang: u.Lang,
			Data: map[string]any{"Name": u.Name, "Date": guichet.Date(now.AddDate(0, 0, InactiveNoticeDays).In(loc), u.Lang),
				"Link": site + "/connexion"}})
		if err != nil {
			return int64(i), err
		}
		// Marked once mailed: a failure between the two mails twice rather than never.
		if _, err := s.db.Exec(ctx, `UPDATE users SET inactivity_warned_at = ? WHERE tenant_id = ? AND id = ?`,
			now, u.TenantID, u.ID); err != nil {
			return int64(i), fmt.Errorf("account: mark warned: %w", err)
		}
	}
	return int64(len(users)), nil
}

// PurgeInactive deletes, with the records of their person, the accounts
// unused for InactiveDays whose holder was warned InactiveNoticeDays ago
// at least, and returns how many went.
func (s *Store) PurgeInactive(ctx context.Context) (int64, error) {
	if s.Sites == nil {
		return 0, nil
	}
	now := s.Now()
	users, err := s.usersWhere(ctx, `inactivity_warned_at < ? AND last_seen_at < ? ORDER BY last_seen_at LIMIT 500`,
		privacy.Cutoff(now, InactiveNoticeDays), privacy.Cutoff(now, InactiveDays))
	if err != nil {
		return 0, err
	}
	for i, u := range users {
		site, loc, err := s.Sites(ctx, u.TenantID)
		if err != nil {
			return int64(i), err
		}
		if err := s.DeleteAccount(ctx, u, site, loc); err != nil {
			return int64(i), err
		}
	}
	return int64(len(users)), nil
}

// applyInactivity warns the holders of accounts soon due, then deletes
// those whose notice ran out.
func (s *Store) applyInactivity(ctx context.Context) (int64, error) {
	warned, err := s.WarnInactive(ctx)
	if err != nil {
		return warned, err
	}
	deleted, err := s.PurgeInactive(ctx)
	return warned + deleted, err
}

// PurgeUnverified deletes, across every collectivité, the accounts never
// verified UnverifiedDays after their creation, with what the
// capabilities hold about them, and returns how many went.
func (s *Store) PurgeUnverified(ctx context.Context) (int64, error) {
	users, err := s.usersWhere(ctx, `email_verified_at IS NULL AND created_at < ? ORDER BY created_at LIMIT 500`,
		privacy.Cutoff(s.Now(), UnverifiedDays))
	if err != nil {
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
	return []privacy.Rule{{Key: "account.unverified", Apply: s.PurgeUnverified}, {Key: "account.inactive", Apply: s.applyInactivity}}
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
