package queue

import "guichet/internal/kernel/mail"

func mailMessage(t *Ticket, st *Status, link string) mail.Message {
	return mail.Message{TenantID: t.TenantID, To: t.Email, Template: "queue/near", Lang: t.Lang,
		Data: map[string]any{"Label": t.Label, "Service": st.Service, "Position": st.Position, "Wait": st.Wait, "TicketURL": link}}
}
