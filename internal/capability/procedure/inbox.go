package procedure

import (
	"context"
	"regexp"
	"strings"
	"time"

	"guichet"
	"guichet/internal/kernel/db"
)

// InboxFilter selects the filed cases an agent sees.
type InboxFilter struct {
	State       State
	ProcedureID string
	// Assignee is an agent's user id, or "none" for unassigned cases.
	Assignee string
	Overdue  bool
	Label    string
	// Query is a reference (DEM-2026-000123) or part of a name.
	Query string
	// Procedures restricts to these procedures (an agent's services);
	// nil means every procedure.
	Procedures []string
	// After is the keyset cursor: the last row of the previous page.
	After *Cursor
	Limit int
}

// Cursor is a position in the inbox, which is sorted by filing time.
type Cursor struct {
	At time.Time
	ID string
}

// InboxRow is one line of the agent inbox; ProcedureTitle is left for
// the caller, who has the procedures at hand.
type InboxRow struct {
	ID, Reference, ProcedureID, ProcedureTitle string
	Applicant, AssigneeName                    string
	State                                      State
	Labels                                     []string
	SubmittedAt                                time.Time
	DueAt                                      *time.Time
}

// Overdue reports whether the row's case passed its deadline at now.
func (r *InboxRow) Overdue(now time.Time) bool {
	return r.State.Open() && r.DueAt != nil && now.After(*r.DueAt)
}

var referencePattern = regexp.MustCompile(`^(?i)DEM-\d{4}-\d{6}$`)

// Inbox returns one page of filed cases, newest first, in one query
// whatever the number of cases (keyset pagination, no count); the cursor
// of the next page is nil on the last page.
func (s *Store) Inbox(ctx context.Context, tenantID string, f InboxFilter) ([]InboxRow, *Cursor, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	var b strings.Builder
	args := []any{tenantID}
	// One table, no join: the planner then walks an index in the
	// requested order and stops at the limit.
	b.WriteString(`SELECT c.id, c.reference, c.procedure_id, c.applicant, c.assignee_name, c.state, c.labels,
		c.submitted_at, c.due_at FROM cases c WHERE c.tenant_id = ? AND c.submitted_at IS NOT NULL`)
	cond := func(sql string, a ...any) { b.WriteString(" AND " + sql); args = append(args, a...) }
	if f.State != "" {
		cond("c.state = ?", string(f.State))
	}
	if f.ProcedureID != "" {
		cond("c.procedure_id = ?", f.ProcedureID)
	}
	if f.Procedures != nil {
		if len(f.Procedures) == 0 {
			return nil, nil, nil
		}
		cond("c.procedure_id IN ("+placeholders(len(f.Procedures))+")", anys(f.Procedures)...)
	}
	switch f.Assignee {
	case "":
	case "none":
		cond("c.assignee_id = ''")
	default:
		cond("c.assignee_id = ?", f.Assignee)
	}
	if f.Overdue {
		cond("c.state IN (?, ?, ?) AND c.due_at < ?", string(Filed), string(Instruction), string(Waiting), s.now())
	}
	if f.Label != "" {
		cond("c.labels LIKE ?", "%,"+likeEscape(f.Label)+",%")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		if referencePattern.MatchString(q) {
			cond("c.reference = ?", strings.ToUpper(q))
		} else {
			cond("c.applicant_key LIKE ?", "%"+likeEscape(searchKey(q))+"%")
		}
	}
	if f.After != nil {
		cond("(c.submitted_at, c.id) < (?, ?)", f.After.At, f.After.ID)
	}
	b.WriteString(" ORDER BY c.submitted_at DESC, c.id DESC LIMIT ?")
	args = append(args, f.Limit+1)
	rows, err := s.db.Query(ctx, b.String(), args...)
	if err != nil {
		return nil, nil, wrap("inbox", err)
	}
	defer rows.Close()
	var out []InboxRow
	for rows.Next() {
		var r InboxRow
		var state, labels string
		var due *time.Time
		var dueN = new(nullTimeScan)
		if err := rows.Scan(&r.ID, &r.Reference, &r.ProcedureID, &r.Applicant, &r.AssigneeName, &state,
			&labels, &r.SubmittedAt, dueN); err != nil {
			return nil, nil, err
		}
		due = dueN.ptr()
		r.State, r.Labels, r.DueAt, r.SubmittedAt = State(state), splitLabels(labels), due, r.SubmittedAt.UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	var cur *Cursor
	if len(out) > f.Limit {
		out = out[:f.Limit]
		last := out[len(out)-1]
		cur = &Cursor{At: last.SubmittedAt, ID: last.ID}
	}
	return out, cur, nil
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func likeEscape(s string) string {
	return strings.NewReplacer("%", "", "_", "", ",", "").Replace(s)
}

// Assign gives cases to an agent (or to no one when assigneeID is "").
func (s *Store) Assign(ctx context.Context, tenantID string, ids []string, assigneeID, assigneeName string, by Actor) error {
	if len(ids) == 0 || len(ids) > 200 {
		return guichet.Invalid(map[string]string{"ids": "Choisissez de 1 à 200 dossiers."})
	}
	return wrap("assign", s.db.InTx(ctx, func(tx *db.Tx) error {
		args := append([]any{assigneeID, assigneeName, s.now(), tenantID}, anys(ids)...)
		if _, err := tx.Exec(ctx, `UPDATE cases SET assignee_id = ?, assignee_name = ?, updated_at = ?
			WHERE tenant_id = ? AND submitted_at IS NOT NULL AND id IN (`+placeholders(len(ids))+`)`, args...); err != nil {
			return err
		}
		reason := "Confié à " + assigneeName
		if assigneeID == "" {
			reason = "Plus confié à personne"
		}
		for _, id := range ids {
			if err := s.event(ctx, tx, &Case{ID: id, TenantID: tenantID}, by, "assigned", "", "", reason); err != nil {
				return err
			}
		}
		return nil
	}))
}

// ValidLabel trims a label and checks it: 1 to 40 characters, no comma.
func ValidLabel(l string) (string, error) {
	l = strings.TrimSpace(l)
	if l == "" || len([]rune(l)) > 40 || strings.ContainsAny(l, ",%_") {
		return "", guichet.Invalid(map[string]string{"label": "Une étiquette compte de 1 à 40 caractères, sans virgule."})
	}
	return l, nil
}

// Label adds (or removes) a label on cases.
func (s *Store) Label(ctx context.Context, tenantID string, ids []string, label string, remove bool) error {
	label, err := ValidLabel(label)
	if err != nil {
		return err
	}
	if len(ids) == 0 || len(ids) > 200 {
		return guichet.Invalid(map[string]string{"ids": "Choisissez de 1 à 200 dossiers."})
	}
	tag := "," + label + ","
	var q string
	var args []any
	if remove {
		q = `UPDATE cases SET labels = CASE WHEN REPLACE(labels, ?, ',') = ',' THEN '' ELSE REPLACE(labels, ?, ',') END, updated_at = ?`
		args = []any{tag, tag, s.now()}
	} else {
		q = `UPDATE cases SET labels = CASE WHEN labels LIKE ? THEN labels WHEN labels = '' THEN ? ELSE labels || ? END, updated_at = ?`
		args = []any{"%" + tag + "%", tag, label + ",", s.now()}
	}
	args = append(append(args, tenantID), anys(ids)...)
	_, err = s.db.Exec(ctx, q+` WHERE tenant_id = ? AND submitted_at IS NOT NULL AND id IN (`+placeholders(len(ids))+`)`, args...)
	return wrap("label", err)
}
