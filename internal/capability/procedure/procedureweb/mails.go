package procedureweb

import (
	"context"
	"net/http"
	"slices"

	"guichet/internal/capability/procedure"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
)

// sendTo queues the template "procedure/<name>" to the case's resident.
func (m *Module) sendTo(r *http.Request, c *procedure.Case, name string, data map[string]any) error {
	return m.sendCase(r.Context(), c, name, data)
}

func (m *Module) sendCase(ctx context.Context, c *procedure.Case, name string, data map[string]any) error {
	if c.Email == "" {
		return nil
	}
	data["Name"] = c.Applicant
	return m.mail.Enqueue(ctx, mail.Message{TenantID: c.TenantID, To: c.Email, Template: "procedure/" + name,
		Lang: c.Lang, Data: data})
}

// agentsOf returns the addresses to tell about a case: its agent, or
// every agent of the procedure's service when no one has it yet.
func (m *Module) agentsOf(ctx context.Context, c *procedure.Case, p *procedure.Procedure) ([]string, error) {
	members, err := m.staff.List(ctx, c.TenantID)
	if err != nil {
		return nil, err
	}
	var to []string
	for _, mb := range members {
		if c.AssigneeID != "" {
			if mb.UserID == c.AssigneeID {
				to = append(to, mb.Email)
			}
			continue
		}
		if (mb.Has(account.RoleAgent) || mb.Has(account.RoleAdmin)) && (p.Service == "" || len(mb.Services) == 0 || slices.Contains(mb.Services, p.Service)) {
			to = append(to, mb.Email)
		}
	}
	return to, nil
}

// notifyAgents emails the case's agents; a failure is logged, as the
// resident's action itself succeeded.
func (m *Module) notifyAgents(r *http.Request, c *procedure.Case, p *procedure.Procedure, name, body string) {
	ctx := r.Context()
	to, err := m.agentsOf(ctx, c, p)
	if err != nil {
		m.log.ErrorContext(ctx, "procedure: agents to notify", "err", err)
		return
	}
	t := tenant.FromContext(ctx)
	link := m.s.SiteURL(r, t) + InboxPath + "/" + c.ID
	for _, addr := range to {
		err := m.mail.Enqueue(ctx, mail.Message{TenantID: c.TenantID, To: addr, Template: "procedure/" + name, Lang: "fr",
			Data: map[string]any{"Reference": c.Reference, "Procedure": p.Title, "Applicant": c.Applicant, "Body": body, "Link": link}})
		if err != nil {
			m.log.ErrorContext(ctx, "procedure: notify agent", "err", err)
		}
	}
}
