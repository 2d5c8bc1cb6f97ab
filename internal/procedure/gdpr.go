package procedure

import (
	"context"
	"strconv"
	"time"
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

// Export returns every case of the user, for their data export (RGPD
// right of access and portability).
func (s *Store) Export(ctx context.Context, tenantID, userID string) (any, error) {
	rows, err := s.db.Query(ctx, `SELECT `+caseColumns+` FROM cases WHERE tenant_id = ? AND user_id = ?
		ORDER BY created_at`, tenantID, userID)
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
