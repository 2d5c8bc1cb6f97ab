package staff

import (
	"context"
	"fmt"

	"guichet/internal/kernel/privacy"
)

// InvitationDays is how long an invitation is kept once accepted or
// expired: time enough to answer "was I invited?".
const InvitationDays = 30

// AuditDays is the audit log's retention as the register states it; the
// audit log's own rule must keep to it.
const AuditDays = 365

// PurgeInvitations deletes, across every collectivité, the invitations
// accepted or expired more than InvitationDays ago.
func (s *Store) PurgeInvitations(ctx context.Context) (int64, error) {
	res, err := s.db.Exec(ctx, `DELETE FROM staff_invitations WHERE COALESCE(accepted_at, expires_at) < ?`,
		privacy.Cutoff(s.Now(), InvitationDays))
	if err != nil {
		return 0, fmt.Errorf("staff: purge invitations: %w", err)
	}
	return res.RowsAffected()
}

// RetentionRules returns the rules the periodic retention job applies.
func (s *Store) RetentionRules() []privacy.Rule {
	return []privacy.Rule{{Key: "staff.invitations", Apply: s.PurgeInvitations}}
}

// Processing returns the staff's lines of the register: the team with
// its roles and second factors, and the audit log. Their texts are in the
// back-office module's catalogue.
func (s *Store) Processing() []privacy.Activity {
	return []privacy.Activity{{
		Key: "staff.members", Order: 900, Platform: true,
		Name: privacy.T("backoffice.privacy.staff.name"), Purpose: privacy.T("backoffice.privacy.staff.purpose"),
		Bases:  []privacy.Basis{privacy.PublicTask},
		People: privacy.T("backoffice.privacy.staff.people"), Data: privacy.T("backoffice.privacy.staff.data"),
		Retention:  privacy.T("backoffice.privacy.staff.retention", int(InvitationTTL.Hours()/24), InvitationDays),
		Recipients: privacy.T("backoffice.privacy.staff.recipients"),
	}, {
		Key: "staff.audit", Order: 910, Platform: true,
		Name: privacy.T("backoffice.privacy.audit.name"), Purpose: privacy.T("backoffice.privacy.audit.purpose"),
		Bases: []privacy.Basis{privacy.LegalObligation}, Law: privacy.T("backoffice.privacy.audit.law"),
		People: privacy.T("backoffice.privacy.audit.people"), Data: privacy.T("backoffice.privacy.audit.data"),
		Retention:  privacy.T("backoffice.privacy.audit.retention", AuditDays),
		Recipients: privacy.T("backoffice.privacy.audit.recipients"),
	}}
}
