package procedure

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tokens"
)

// State is where a case stands in its workflow.
type State string

// The workflow: brouillon → déposé → en instruction → (en attente de
// compléments ↔ en instruction) → accepté / refusé / classé sans suite.
const (
	Draft       State = "brouillon"
	Filed       State = "depose"
	Instruction State = "instruction"
	Waiting     State = "complements"
	Accepted    State = "accepte"
	Refused     State = "refuse"
	Dismissed   State = "classe"
)

// States lists every state in workflow order.
var States = []State{Draft, Filed, Instruction, Waiting, Accepted, Refused, Dismissed}

// next lists the states an agent may move a case to from each state.
var next = map[State][]State{
	Filed:       {Instruction, Waiting, Accepted, Refused, Dismissed},
	Instruction: {Waiting, Accepted, Refused, Dismissed},
	Waiting:     {Instruction, Accepted, Refused, Dismissed},
}

// Next returns the states an agent may move a case in state st to.
func (st State) Next() []State { return next[st] }

// Closed reports whether the state ends the case.
func (st State) Closed() bool { return st == Accepted || st == Refused || st == Dismissed }

// Open reports whether an agent still has to act.
func (st State) Open() bool { return st == Filed || st == Instruction || st == Waiting }

// Case is one filing of a procedure, from draft to decision.
type Case struct {
	ID            string
	TenantID      string
	ProcedureID   string
	Version       int
	Reference     string // DEM-2026-000123, set when filed
	State         State
	UserID        string // "" for a case filed without an account
	Email         string
	EmailVerified bool
	Applicant     string
	Answers       Answers
	Page          int
	AssigneeID    string
	AssigneeName  string
	Labels        []string
	Lang          string
	SubmittedAt   *time.Time
	DueAt         *time.Time
	ClosedAt      *time.Time
	DeleteAfter   *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	accessHash    string
}

// Overdue reports whether an open case passed its deadline at now.
func (c *Case) Overdue(now time.Time) bool {
	return c.State.Open() && c.DueAt != nil && now.After(*c.DueAt)
}

// Actor is who acts on a case, for its history.
type Actor struct {
	ID    string
	Name  string
	Staff bool
}

// System is the actor of periodic jobs (silence, retention).
var System = Actor{Name: "Guichet (traitement automatique)", Staff: true}

const caseColumns = `id, tenant_id, procedure_id, version, reference, state, user_id, email, email_verified, access_hash,
	applicant, answers, page, assignee_id, assignee_name, labels, lang, submitted_at, due_at, closed_at, delete_after,
	created_at, updated_at`

func scanCase(r interface{ Scan(...any) error }) (*Case, error) {
	c := &Case{}
	var ref, user sql.NullString
	var answers, labels, state string
	var sub, due, closed, del sql.NullTime
	if err := r.Scan(&c.ID, &c.TenantID, &c.ProcedureID, &c.Version, &ref, &state, &user, &c.Email, &c.EmailVerified,
		&c.accessHash, &c.Applicant, &answers, &c.Page, &c.AssigneeID, &c.AssigneeName, &labels, &c.Lang,
		&sub, &due, &closed, &del, &c.CreatedAt, &c.UpdatedAt); err != nil {
		return nil, err
	}
	c.Reference, c.UserID, c.State = ref.String, user.String, State(state)
	c.SubmittedAt, c.DueAt, c.ClosedAt, c.DeleteAfter = timePtr(sub), timePtr(due), timePtr(closed), timePtr(del)
	c.Labels = splitLabels(labels)
	if err := json.Unmarshal([]byte(answers), &c.Answers); err != nil {
		return nil, fmt.Errorf("case %s: answers: %w", c.ID, err)
	}
	if c.Answers == nil {
		c.Answers = Answers{}
	}
	return c, nil
}

func splitLabels(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.Trim(s, ","), ",") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Start opens a draft of the procedure's published version, for a
// signed-in resident (userID) or, where allowed, for an email address to
// verify; it then returns the secret token of the verification link, the
// only way back to the case.
func (s *Store) Start(ctx context.Context, p *Procedure, userID, email, name, lang string) (*Case, string, error) {
	if !p.Published() {
		return nil, "", guichet.Errorf(guichet.EConflict, "Cette démarche n'est pas ouverte.")
	}
	c := &Case{ID: uuid.NewString(), TenantID: p.TenantID, ProcedureID: p.ID, Version: p.Version, State: Draft,
		UserID: userID, Email: email, Applicant: name, Answers: Answers{}, Lang: lang, CreatedAt: s.now(), UpdatedAt: s.now()}
	var token string
	if userID == "" {
		if !p.Anonymous {
			return nil, "", guichet.Errorf(guichet.EUnauthorized, "Connectez-vous pour faire cette démarche.")
		}
		token = tokens.New(24)
		c.accessHash = tokens.Hash(token)
	} else {
		c.EmailVerified = true
	}
	_, err := s.db.Exec(ctx, `INSERT INTO cases (`+caseColumns+`) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, '{}', 0, '', '', '', ?,
		NULL, NULL, NULL, NULL, ?, ?)`, c.ID, c.TenantID, c.ProcedureID, c.Version, string(c.State), nullString(userID),
		c.Email, c.EmailVerified, c.accessHash, c.Applicant, c.Lang, c.CreatedAt, c.UpdatedAt)
	if err != nil {
		return nil, "", wrap("start", err)
	}
	if err := s.event(ctx, s.db, c, Actor{ID: userID, Name: name}, "created", "", Draft, ""); err != nil {
		return nil, "", err
	}
	return c, token, nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Case returns a case by its id.
func (s *Store) Case(ctx context.Context, tenantID, id string) (*Case, error) {
	if uuid.Validate(id) != nil {
		return nil, ErrNotFound
	}
	c, err := scanCase(s.db.QueryRow(ctx, `SELECT `+caseColumns+` FROM cases WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return c, notFound(err)
}

// Viewer is who asks to see a case, as the access rules need it.
type Viewer struct {
	UserID string
	// Token is an access token a case without account was opened with.
	Token string
	// Staff: an agent of these services (all when AllServices) sees the
	// filed cases of procedures of those services.
	Staff       bool
	AllServices bool
	Services    []string
}

// CaseFor returns a case if v may see it, and ErrNotFound otherwise, so
// that a guessed or tampered id tells nothing.
func (s *Store) CaseFor(ctx context.Context, tenantID, id string, v Viewer, p func(string) (*Procedure, error)) (*Case, error) {
	c, err := s.Case(ctx, tenantID, id)
	if err != nil {
		return nil, err
	}
	if c.OwnedBy(v) {
		return c, nil
	}
	if v.Staff && c.State != Draft {
		if v.AllServices {
			return c, nil
		}
		proc, err := p(c.ProcedureID)
		if err != nil {
			return nil, err
		}
		if proc.Service == "" || slices.Contains(v.Services, proc.Service) {
			return c, nil
		}
	}
	return nil, ErrNotFound
}

// OwnedBy reports whether v is the case's resident: its account, or the
// holder of its access token.
func (c *Case) OwnedBy(v Viewer) bool {
	if c.UserID != "" {
		return v.UserID == c.UserID
	}
	return v.Token != "" && c.accessHash != "" &&
		subtle.ConstantTimeCompare([]byte(tokens.Hash(v.Token)), []byte(c.accessHash)) == 1
}

// errAccessLink covers an access link that opens no case.
var errAccessLink = guichet.Errorf(guichet.EInvalid, "Ce lien n'est pas valable.")

// CaseByLink returns the case without account that token opens, changing
// nothing: its page asks for a click before the address counts as proven
// (mail scanners open links).
func (s *Store) CaseByLink(ctx context.Context, tenantID, id, token string) (*Case, error) {
	c, err := s.Case(ctx, tenantID, id)
	if err != nil || !c.OwnedBy(Viewer{Token: token}) {
		return nil, errAccessLink
	}
	return c, nil
}

// VerifyEmail marks the address of a case without account as proven by
// its link's token.
func (s *Store) VerifyEmail(ctx context.Context, tenantID, id, token string) (*Case, error) {
	c, err := s.CaseByLink(ctx, tenantID, id, token)
	if err != nil {
		return nil, err
	}
	if !c.EmailVerified {
		if _, err := s.db.Exec(ctx, `UPDATE cases SET email_verified = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
			true, s.now(), tenantID, id); err != nil {
			return nil, wrap("verify", err)
		}
		c.EmailVerified = true
	}
	return c, nil
}

// SaveDraft stores answers and the page reached; only a draft changes.
func (s *Store) SaveDraft(ctx context.Context, c *Case, answers Answers, page int, applicant string) error {
	raw, err := json.Marshal(answers)
	if err != nil {
		return err
	}
	res, err := s.db.Exec(ctx, `UPDATE cases SET answers = ?, page = ?, applicant = ?, applicant_key = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ? AND state = ?`, string(raw), page, applicant, searchKey(applicant), s.now(),
		c.TenantID, c.ID, string(Draft))
	if err != nil {
		return wrap("save draft", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return guichet.Errorf(guichet.EConflict, "Ce dossier a déjà été déposé : il ne peut plus être modifié.")
	}
	c.Answers, c.Page, c.Applicant = answers, page, applicant
	return nil
}

// searchKey is the lower-cased name that the inbox's search matches.
func searchKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Submit files a complete draft: it checks every page, takes the next
// reference of the year, starts the deadline and records the event.
func (s *Store) Submit(ctx context.Context, c *Case, p *Procedure, form *Form, by Actor) error {
	if c.State != Draft {
		return guichet.Errorf(guichet.EConflict, "Ce dossier a déjà été déposé.")
	}
	if c.UserID == "" && !c.EmailVerified {
		return guichet.Errorf(guichet.EForbidden, "Confirmez d'abord votre adresse électronique.")
	}
	if errs := form.Validate(c.Answers); errs != nil {
		return guichet.Invalid(errs)
	}
	answers := form.Shown(c.Answers)
	raw, err := json.Marshal(answers)
	if err != nil {
		return err
	}
	now := s.now()
	due := now.AddDate(0, 0, p.DeadlineDays)
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		var last int
		if err := tx.QueryRow(ctx, `INSERT INTO case_counters (tenant_id, year, last) VALUES (?, ?, 1)
			ON CONFLICT (tenant_id, year) DO UPDATE SET last = case_counters.last + 1 RETURNING last`,
			c.TenantID, now.Year()).Scan(&last); err != nil {
			return err
		}
		ref := fmt.Sprintf("DEM-%d-%06d", now.Year(), last)
		if p.Application != "" {
			d, err := s.fileApplication(ctx, tx, c, p, now, last)
			if err != nil {
				return err
			}
			due = d
		}
		res, err := tx.Exec(ctx, `UPDATE cases SET reference = ?, state = ?, answers = ?, submitted_at = ?, due_at = ?, updated_at = ?
			WHERE tenant_id = ? AND id = ? AND state = ?`, ref, string(Filed), string(raw), now, due, now, c.TenantID, c.ID, string(Draft))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return guichet.Errorf(guichet.EConflict, "Ce dossier a déjà été déposé.")
		}
		c.Reference = ref
		return s.event(ctx, tx, c, by, "filed", Draft, Filed, "")
	})
	if err != nil {
		return wrap("submit", err)
	}
	c.State, c.Answers, c.SubmittedAt, c.DueAt = Filed, answers, &now, &due
	return nil
}

// Transition moves a filed case to state to, recording who, when and why.
// Closing a case sets the date after which it is deleted.
func (s *Store) Transition(ctx context.Context, c *Case, p *Procedure, to State, by Actor, reason string) error {
	if !slices.Contains(c.State.Next(), to) {
		return guichet.Errorf(guichet.EConflict, "Un dossier « %s » ne peut pas passer à « %s ».", c.State.Label(), to.Label())
	}
	reason = strings.TrimSpace(reason)
	if reason == "" && (to == Waiting || to == Refused || to == Dismissed) {
		return guichet.Invalid(map[string]string{"reason": "Indiquez le motif : le demandeur le lira."})
	}
	if len(reason) > 5000 {
		return guichet.Invalid(map[string]string{"reason": "Le motif ne doit pas dépasser 5000 caractères."})
	}
	now := s.now()
	var closed, del, due *time.Time = nil, nil, c.DueAt
	if to.Closed() {
		d := now.AddDate(0, 0, p.RetentionDays)
		closed, del = &now, &d
	}
	if c.State == Waiting && to == Instruction {
		d := now.AddDate(0, 0, p.DeadlineDays) // the deadline starts again once the file is complete
		due = &d
	}
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if p.Application != "" && !to.Closed() {
			var err error
			if due, err = s.applicationStep(ctx, tx, c, to, now, due); err != nil {
				return err
			}
		}
		res, err := tx.Exec(ctx, `UPDATE cases SET state = ?, closed_at = ?, delete_after = ?, due_at = ?, updated_at = ?
			WHERE tenant_id = ? AND id = ? AND state = ?`, string(to), nullTime(closed), nullTime(del), nullTime(due), now,
			c.TenantID, c.ID, string(c.State))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return guichet.Errorf(guichet.EConflict, "Le dossier vient de changer d'état : rechargez la page.")
		}
		return s.event(ctx, tx, c, by, "state", c.State, to, reason)
	})
	if err != nil {
		return wrap("transition", err)
	}
	c.State, c.ClosedAt, c.DeleteAfter, c.DueAt = to, closed, del, due
	s.tell(ctx, c, LiveState)
	return nil
}

// Label is a state's French name.
func (st State) Label() string {
	return map[State]string{Draft: "brouillon", Filed: "déposé", Instruction: "en instruction",
		Waiting: "en attente de compléments", Accepted: "accepté", Refused: "refusé", Dismissed: "classé sans suite"}[st]
}

// Decision is a decided state as a decision letter words it after « votre
// demande est »: feminine, as demande is (« acceptée »); other states keep
// their name.
func (st State) Decision() string {
	if w, ok := map[State]string{Accepted: "acceptée", Refused: "refusée", Dismissed: "classée sans suite"}[st]; ok {
		return w
	}
	return st.Label()
}

// Event is one line of a case's history.
type Event struct {
	At        time.Time
	ActorName string
	Staff     bool
	Kind      string // created, filed, state, assigned, message
	From, To  State
	Reason    string
}

func (s *Store) event(ctx context.Context, q db.Querier, c *Case, by Actor, kind string, from, to State, reason string) error {
	_, err := q.Exec(ctx, `INSERT INTO case_events (id, tenant_id, case_id, at, actor_id, actor_name, kind, from_state, to_state, reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, uuid.NewString(), c.TenantID, c.ID, s.tick(), by.ID, by.Name, kind,
		string(from), string(to), reason)
	return wrap("event", err)
}

// Events returns a case's history, oldest first.
func (s *Store) Events(ctx context.Context, tenantID, caseID string) ([]Event, error) {
	rows, err := s.db.Query(ctx, `SELECT at, actor_name, actor_id, kind, from_state, to_state, reason FROM case_events
		WHERE tenant_id = ? AND case_id = ? ORDER BY at, id`, tenantID, caseID)
	if err != nil {
		return nil, wrap("events", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var actorID, from, to string
		if err := rows.Scan(&e.At, &e.ActorName, &actorID, &e.Kind, &from, &to, &e.Reason); err != nil {
			return nil, err
		}
		e.From, e.To = State(from), State(to)
		out = append(out, e)
	}
	return out, rows.Err()
}

// MyCases lists a resident's cases, newest first.
func (s *Store) MyCases(ctx context.Context, tenantID, userID string) ([]*Case, error) {
	rows, err := s.db.Query(ctx, `SELECT `+caseColumns+` FROM cases WHERE tenant_id = ? AND user_id = ?
		ORDER BY created_at DESC LIMIT 200`, tenantID, userID)
	if err != nil {
		return nil, wrap("my cases", err)
	}
	defer rows.Close()
	var out []*Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
