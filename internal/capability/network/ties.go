package network

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
)

// The kinds of ties. A funding has a direction (who funds whom); the
// others tie two organisations alike.
const (
	KindPartnership = "partenariat"
	KindMembers     = "membres"     // members in common
	KindFunding     = "financement" // From funds To
	KindPremises    = "locaux"      // shared premises
)

// Kinds lists the kinds in the order forms offer them; their labels are
// the web layer's messages "network.kind.X".
var Kinds = []string{KindPartnership, KindMembers, KindFunding, KindPremises}

// The states of a tie.
const (
	Proposed = "proposee" // proposed by an organisation, waiting for staff
	Active   = "active"
	Ended    = "terminee"
	Declined = "refusee" // a proposal staff did not confirm
)

// Tie is a tie between two organisations of the directory.
type Tie struct {
	ID, TenantID string
	// From and To are directory entry ids; a funding goes From the
	// funder To the funded.
	From, To string
	Kind     string
	Note     string
	// SinceYear is the year the tie began, 0 when unknown.
	SinceYear int
	State     string
	// ProposedBy is the account of the manager who proposed the tie, and
	// ProposedFor the organisation they manage; both empty when staff
	// entered it.
	ProposedBy, ProposedFor string
	// Decision is staff's reason when they declined a proposal.
	Decision         string
	Created          time.Time
	Decided, EndedAt *time.Time
}

// Directed reports whether the tie's direction means something.
func (t *Tie) Directed() bool { return t.Kind == KindFunding }

// Other returns the organisation at the tie's other end from entryID.
func (t *Tie) Other(entryID string) string {
	if t.From == entryID {
		return t.To
	}
	return t.From
}

// validate checks a tie before it is saved.
func (t *Tie) validate(now time.Time) error {
	errs := map[string]string{}
	t.Note = strings.TrimSpace(t.Note)
	switch {
	case t.From == "":
		errs["from"] = "Choisissez la première organisation."
	case t.To == "":
		errs["to"] = "Choisissez la seconde organisation."
	case t.From == t.To:
		errs["to"] = "Un lien relie deux organisations différentes."
	}
	if !slices.Contains(Kinds, t.Kind) {
		errs["kind"] = "Choisissez la nature du lien."
	}
	if utf8.RuneCountInString(t.Note) > 500 {
		errs["note"] = "La note dépasse 500 caractères."
	}
	if t.SinceYear != 0 && (t.SinceYear < 1800 || t.SinceYear > now.Year()) {
		errs["since"] = fmt.Sprintf("Indiquez une année entre 1800 et %d.", now.Year())
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

// ErrTieExists refuses a second live tie of one kind between two
// organisations.
var ErrTieExists = guichet.Errorf(guichet.EConflict, "Ces deux organisations ont déjà un lien de cette nature.")

// AddTie records a tie staff entered (active at once), or an
// organisation's proposal when t.ProposedBy is set (waiting for staff).
// Both ends must be published organisations of the directory.
func (s *Store) AddTie(ctx context.Context, t *Tie) error {
	now := s.now()
	if err := t.validate(now); err != nil {
		return err
	}
	if err := s.checkOrganisations(ctx, t.TenantID, t.From, t.To); err != nil {
		return err
	}
	if !t.Directed() && t.To < t.From {
		t.From, t.To = t.To, t.From // one pair, one row
	}
	t.ID, t.Created, t.State = uuid.NewString(), now, Active
	if t.ProposedBy != "" {
		t.State = Proposed
		if t.ProposedFor != t.From && t.ProposedFor != t.To {
			return guichet.Invalid(map[string]string{"to": "Un lien proposé part de votre organisation."})
		}
	} else {
		t.Decided = &now
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO network_ties (id, tenant_id, from_entry, to_entry, kind, note, since_year, state,
			proposed_by, proposed_for, created_at, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			t.ID, t.TenantID, t.From, t.To, t.Kind, t.Note, t.SinceYear, t.State, t.ProposedBy, t.ProposedFor, now, t.Decided)
		if err != nil {
			return err
		}
		s.changed(ctx, tx, t.TenantID)
		return nil
	})
	if db.IsUniqueViolation(err) {
		return ErrTieExists
	}
	if err != nil {
		return fmt.Errorf("network: add tie: %w", err)
	}
	return nil
}

// checkOrganisations refuses ids that are not published organisations.
func (s *Store) checkOrganisations(ctx context.Context, tenantID string, ids ...string) error {
	orgs, err := s.directory(ctx, tenantID)
	if err != nil {
		return err
	}
	for i, id := range ids {
		if !slices.ContainsFunc(orgs, func(e DirectoryEntry) bool { return e.ID == id && e.Organisation }) {
			field := "from"
			if i > 0 {
				field = "to"
			}
			return guichet.Invalid(map[string]string{field: "Choisissez une organisation de l'annuaire."})
		}
	}
	return nil
}

// ErrNotProposed refuses to decide on a tie that no longer waits.
var ErrNotProposed = guichet.Errorf(guichet.EConflict, "Ce lien n'attend plus de confirmation.")

// Confirm makes a proposed tie active.
func (s *Store) Confirm(ctx context.Context, tenantID, id string) error {
	return s.decide(ctx, tenantID, id, Active, "")
}

// Decline refuses a proposed tie, with staff's reason shown to its
// proposer.
func (s *Store) Decline(ctx context.Context, tenantID, id, reason string) error {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > 500 {
		return guichet.Invalid(map[string]string{"reason": "Le motif dépasse 500 caractères."})
	}
	return s.decide(ctx, tenantID, id, Declined, reason)
}

func (s *Store) decide(ctx context.Context, tenantID, id, state, reason string) error {
	if _, err := s.Tie(ctx, tenantID, id); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		n, err := db.Affected(ctx, tx, `UPDATE network_ties SET state = ?, decision = ?, decided_at = ?
			WHERE tenant_id = ? AND id = ? AND state = ?`, state, reason, s.now(), tenantID, id, Proposed)
		if db.IsUniqueViolation(err) {
			return ErrTieExists
		}
		if err != nil {
			return fmt.Errorf("network: decide on tie: %w", err)
		}
		if n == 0 {
			return ErrNotProposed
		}
		s.changed(ctx, tx, tenantID)
		return nil
	})
}

// ErrNotActive refuses to end a tie that is not active.
var ErrNotActive = guichet.Errorf(guichet.EConflict, "Ce lien n'est pas en cours.")

// End records that an active tie ended; it stays in the history.
func (s *Store) End(ctx context.Context, tenantID, id string) error {
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		n, err := db.Affected(ctx, tx, `UPDATE network_ties SET state = ?, ended_at = ? WHERE tenant_id = ? AND id = ? AND state = ?`,
			Ended, s.now(), tenantID, id, Active)
		if err != nil {
			return fmt.Errorf("network: end tie: %w", err)
		}
		if n == 0 {
			if _, err := s.Tie(ctx, tenantID, id); err != nil {
				return err
			}
			return ErrNotActive
		}
		s.changed(ctx, tx, tenantID)
		return nil
	})
}

const tieColumns = `id, tenant_id, from_entry, to_entry, kind, note, since_year, state, proposed_by, proposed_for, decision,
	created_at, decided_at, ended_at`

func scanTie(r db.Row) (*Tie, error) {
	t := &Tie{}
	var decided, ended sql.NullTime
	if err := r.Scan(&t.ID, &t.TenantID, &t.From, &t.To, &t.Kind, &t.Note, &t.SinceYear, &t.State, &t.ProposedBy,
		&t.ProposedFor, &t.Decision, &t.Created, &decided, &ended); err != nil {
		return nil, err
	}
	t.Created = t.Created.UTC()
	t.Decided, t.EndedAt = timeOf(decided), timeOf(ended)
	return t, nil
}

func timeOf(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}

// Tie returns one tie of the collectivité.
func (s *Store) Tie(ctx context.Context, tenantID, id string) (*Tie, error) {
	t, err := scanTie(s.db.QueryRow(ctx, `SELECT `+tieColumns+` FROM network_ties WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if err == sql.ErrNoRows {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("network: tie: %w", err)
	}
	return t, nil
}

// Ties lists the collectivité's ties in the states given, newest first.
func (s *Store) Ties(ctx context.Context, tenantID string, states ...string) ([]*Tie, error) {
	return s.ties(ctx, `tenant_id = ? AND state IN (`+marks(len(states))+`)`, append([]any{tenantID}, anys(states)...)...)
}

// TiesOf lists the ties of one organisation, newest first, in every state.
func (s *Store) TiesOf(ctx context.Context, tenantID, entryID string) ([]*Tie, error) {
	return s.ties(ctx, `tenant_id = ? AND (from_entry = ? OR to_entry = ?)`, tenantID, entryID, entryID)
}

func (s *Store) ties(ctx context.Context, where string, args ...any) ([]*Tie, error) {
	var out []*Tie
	err := db.Each(ctx, s.db, `SELECT `+tieColumns+` FROM network_ties WHERE `+where+` ORDER BY created_at DESC, id`,
		func(r db.Row) error {
			t, err := scanTie(r)
			if err == nil {
				out = append(out, t)
			}
			return err
		}, args...)
	if err != nil {
		return nil, fmt.Errorf("network: ties: %w", err)
	}
	return out, nil
}

// marks returns n placeholders joined by commas.
func marks(n int) string {
	if n == 0 {
		return "NULL"
	}
	return strings.Repeat("?, ", n-1) + "?"
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
