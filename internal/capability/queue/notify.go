package queue

import (
	"context"
	"fmt"

	"guichet/internal/kernel/mail"
)

// SiteURL gives a collectivité's address, for the links mailed to remote
// tickets.
type SiteURL func(ctx context.Context, tenantID string) (string, error)

// tellNear mails the remote tickets of a site whose turn is near (fewer
// than the site's NearTurn people before them), once each. A failure is
// not the agent's, whose call is made: the ticket's page still says it
// live.
func (s *Store) tellNear(ctx context.Context, site *Site) {
	if s.Mail == nil || s.SiteURL == nil {
		return
	}
	_ = s.notifyNear(context.WithoutCancel(ctx), site)
}

func (s *Store) notifyNear(ctx context.Context, site *Site) error {
	rows, err := s.db.Query(ctx, `SELECT `+ticketColumns+` FROM queue_tickets WHERE tenant_id = ? AND site_id = ? AND state = ?
		AND email <> '' AND near_told = ?`, site.TenantID, site.ID, Waiting, false)
	if err != nil {
		return fmt.Errorf("queue: near: %w", err)
	}
	var list []*Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			rows.Close()
			return err
		}
		list = append(list, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(list) == 0 {
		return err
	}
	base, err := s.SiteURL(ctx, site.TenantID)
	if err != nil {
		return err
	}
	for _, t := range list {
		st, err := s.StatusOf(ctx, site, t, t.Lang)
		if err != nil || !st.Near {
			continue
		}
		// Claim it first: two nodes calling at once mail it once.
		res, err := s.db.Exec(ctx, `UPDATE queue_tickets SET near_told = ? WHERE tenant_id = ? AND id = ? AND near_told = ?`,
			true, t.TenantID, t.ID, false)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		err = s.Mail.Enqueue(ctx, mail.Message{TenantID: t.TenantID, To: t.Email, Template: "queue/near", Lang: t.Lang,
			Data: map[string]any{"Label": t.Label, "Service": st.Service, "Position": st.Position, "Wait": st.Wait,
				"TicketURL": base + "/ticket/" + s.TicketHandle(t)}})
		if err != nil {
			return fmt.Errorf("queue: near mail: %w", err)
		}
	}
	return nil
}
