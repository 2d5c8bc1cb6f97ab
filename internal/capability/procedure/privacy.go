package procedure

import (
	"context"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/privacy"
)

// Retention of the records of procedures, in days.
const (
	// DraftDays: a draft never filed goes this many days after its last change.
	DraftDays = 90
	// DefaultRetentionDays is how long a closed case is kept when its
	// procedure does not say otherwise.
	DefaultRetentionDays = 365
)

// Eraser says what erasing a person does to their procedures: drafts are
// deleted with their files; filed cases stay with the administration,
// which must instruct them and keep its decision (RGPD art. 17-3-b),
// until their retention date.
func (s *Store) Eraser() account.Eraser {
	return account.Eraser{Name: "procedures", Effect: "procedure.privacy.erase", Erase: s.Erase,
		Keeps: []string{"cases", "case_events", "case_messages", "case_files"}}
}

// Erase carries out Eraser for p.
func (s *Store) Erase(ctx context.Context, p account.Person) error {
	where, args := personCases(p)
	rows, err := s.db.Query(ctx, `SELECT tenant_id, id FROM cases WHERE tenant_id = ? AND state = ? AND `+where,
		append([]any{p.TenantID, string(Draft)}, args...)...)
	if err != nil {
		return wrap("erase drafts", err)
	}
	return s.deleteAll(ctx, rows)
}

// deleteAll deletes the cases of rows (tenant, id), with their files.
func (s *Store) deleteAll(ctx context.Context, rows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}) error {
	ids, err := pairs(rows)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.DeleteCase(ctx, id[0], id[1]); err != nil {
			return err
		}
	}
	return nil
}

// PurgeDrafts deletes, across every collectivité, the drafts unchanged for
// more than DraftDays, with their files, and returns how many went.
func (s *Store) PurgeDrafts(ctx context.Context) (int64, error) {
	rows, err := s.db.Query(ctx, `SELECT tenant_id, id FROM cases WHERE state = ? AND updated_at < ? LIMIT 500`,
		string(Draft), privacy.Cutoff(s.now(), DraftDays))
	if err != nil {
		return 0, wrap("purge drafts", err)
	}
	ids, err := pairs(rows)
	if err != nil {
		return 0, err
	}
	for i, id := range ids {
		if err := s.DeleteCase(ctx, id[0], id[1]); err != nil {
			return int64(i), err
		}
	}
	return int64(len(ids)), nil
}

// RetentionRules returns the rules the periodic retention job applies;
// closed cases have their own job, which warns the resident first.
func (s *Store) RetentionRules() []privacy.Rule {
	return []privacy.Rule{{Key: "procedure.drafts", Apply: s.PurgeDrafts}}
}

// Processing returns the procedures' line of the register of processing
// activities; its texts are in the procedure web module's catalogue.
func (s *Store) Processing() []privacy.Activity {
	return []privacy.Activity{{
		Key: "procedure.cases", Order: 100, InUse: s.hasProcedures,
		Name: privacy.T("procedure.privacy.cases.name"), Purpose: privacy.T("procedure.privacy.cases.purpose"),
		Bases: []privacy.Basis{privacy.PublicTask, privacy.LegalObligation}, Law: privacy.T("procedure.privacy.cases.law"),
		People: privacy.T("procedure.privacy.cases.people"), Data: privacy.T("procedure.privacy.cases.data"),
		Retention:  privacy.T("procedure.privacy.cases.retention", DraftDays, DefaultRetentionDays, int(RetentionNotice.Hours()/24)),
		Recipients: privacy.T("procedure.privacy.cases.recipients"),
	}}
}

func (s *Store) hasProcedures(ctx context.Context, tenantID string) (bool, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM procedures WHERE tenant_id = ?`, tenantID).Scan(&n)
	return n > 0, err
}
