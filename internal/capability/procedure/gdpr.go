package procedure

import (
	"context"
	"strconv"
	"strings"
	"time"

	"guichet/internal/identity/account"
)

// exportedCase is what a resident's data export shows of one of their
// cases: what they answered and sent, what happened to it and what the
// agents wrote to them. The agents' working labels stay out.
type exportedCase struct {
	Reference   string            `json:"reference,omitempty"`
	Procedure   string            `json:"procedure"`
	State       State             `json:"state"`
	Applicant   string            `json:"applicant"`
	Email       string            `json:"email"`
	Answers     []exportedAnswer  `json:"answers"`
	Messages    []exportedMessage `json:"messages"`
	History     []exportedEvent   `json:"history"`
	CreatedAt   time.Time         `json:"created_at"`
	SubmittedAt *time.Time        `json:"submitted_at,omitempty"`
	ClosedAt    *time.Time        `json:"closed_at,omitempty"`
	DeleteAfter *time.Time        `json:"deleted_after,omitempty"`
}

type exportedAnswer struct {
	Field  string    `json:"field"`
	Label  string    `json:"label,omitempty"`
	Value  string    `json:"value,omitempty"`
	Values []string  `json:"values,omitempty"`
	Items  []Answers `json:"items,omitempty"`
	Files  []FileRef `json:"files,omitempty"`
}

type exportedEvent struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Kind   string    `json:"kind"`
	From   State     `json:"from,omitempty"`
	To     State     `json:"to,omitempty"`
	Reason string    `json:"reason,omitempty"`
}

type exportedMessage struct {
	At        time.Time `json:"at"`
	Author    string    `json:"author"`
	FromStaff bool      `json:"from_staff"`
	Body      string    `json:"body"`
	Files     []FileRef `json:"files,omitempty"`
}

// Export returns every case of the person, by account or, for a case
// filed without one, by its proven address (RGPD right of access and
// portability).
func (s *Store) Export(ctx context.Context, p account.Person) (any, error) {
	where, args := personCases(p)
	rows, err := s.db.Query(ctx, `SELECT `+caseColumns+` FROM cases WHERE tenant_id = ? AND `+where+`
		ORDER BY created_at`, append([]any{p.TenantID}, args...)...)
	if err != nil {
		return nil, wrap("export cases", err)
	}
	var cases []*Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		cases = append(cases, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("export cases", err)
	}
	out := []exportedCase{}
	// A resident's cases share few procedures: each is read once.
	titles, forms := map[string]string{}, map[string]*Form{}
	for _, c := range cases {
		e, err := s.exportCase(ctx, c, titles, forms)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// personCases selects p's cases: their account's, and those filed
// without an account from their address once the case proved it.
func personCases(p account.Person) (string, []any) {
	byUser, userArgs := account.Person{UserID: p.UserID}.Match("user_id", "")
	if p.Email == "" {
		return byUser, userArgs
	}
	return "(" + byUser + " OR (user_id IS NULL AND email_verified = ? AND LOWER(email) = ?))",
		append(userArgs, true, strings.ToLower(p.Email))
}

func (s *Store) exportCase(ctx context.Context, c *Case, titles map[string]string, forms map[string]*Form) (exportedCase, error) {
	e := exportedCase{Reference: c.Reference, State: c.State, Applicant: c.Applicant, Email: c.Email,
		Answers: []exportedAnswer{}, Messages: []exportedMessage{}, CreatedAt: c.CreatedAt, SubmittedAt: c.SubmittedAt,
		ClosedAt: c.ClosedAt, DeleteAfter: c.DeleteAfter}
	title, ok := titles[c.ProcedureID]
	if !ok {
		p, err := s.Procedure(ctx, c.TenantID, c.ProcedureID)
		if err != nil {
			return e, err
		}
		title, titles[c.ProcedureID] = p.Title, p.Title
	}
	e.Procedure = title
	key := c.ProcedureID + "/" + strconv.Itoa(c.Version)
	form := forms[key]
	if form == nil {
		var err error
		if form, err = s.Form(ctx, c.TenantID, c.ProcedureID, c.Version); err != nil {
			return e, err
		}
		forms[key] = form
	}
	form.Each(func(_ *Section, fl *Field) { // in the form's order
		if a, ok := c.Answers[fl.Key]; ok && !a.Empty() {
			e.Answers = append(e.Answers, exportedAnswer{Field: fl.Key, Label: fl.Label, Value: a.Value, Values: a.Values,
				Items: a.Items, Files: a.Files})
		}
	})
	msgs, err := s.Messages(ctx, c.TenantID, c.ID)
	if err != nil {
		return e, err
	}
	for _, m := range msgs {
		e.Messages = append(e.Messages, exportedMessage{At: m.At, Author: m.AuthorName, FromStaff: m.FromStaff, Body: m.Body, Files: m.Files})
	}
	events, err := s.Events(ctx, c.TenantID, c.ID)
	if err != nil {
		return e, err
	}
	for _, ev := range events {
		e.History = append(e.History, exportedEvent{At: ev.At, By: ev.ActorName, Kind: ev.Kind, From: ev.From, To: ev.To, Reason: ev.Reason})
	}
	return e, nil
}
