package appointment

import (
	"context"
	"time"
)

// exportedBooking is what a resident's data export shows of a booking.
type exportedBooking struct {
	Reference   string     `json:"reference"`
	Agenda      string     `json:"agenda"`
	Type        string     `json:"type"`
	Start       time.Time  `json:"start"`
	End         time.Time  `json:"end"`
	Status      string     `json:"status"`
	Name        string     `json:"name"`
	Email       string     `json:"email,omitempty"`
	Phone       string     `json:"phone,omitempty"`
	ANTS        string     `json:"ants_number,omitempty"`
	BookedBy    string     `json:"booked_by"`
	CreatedAt   time.Time  `json:"created_at"`
	CancelledAt *time.Time `json:"cancelled_at,omitempty"`
}

// Export returns every booking of the user, for their data export (RGPD
// right of access and portability).
func (s *Store) Export(ctx context.Context, tenantID, userID string) (any, error) {
	list, err := s.list(ctx, `WHERE tenant_id = ? AND user_id = ? ORDER BY starts_at`, tenantID, userID)
	if err != nil {
		return nil, err
	}
	out := []exportedBooking{}
	for _, b := range list {
		e := exportedBooking{Reference: b.Reference, Start: b.Start, End: b.End, Status: b.Status, Name: b.Name,
			Email: b.Email, Phone: b.Phone, ANTS: b.ANTS, BookedBy: b.BookedBy, CreatedAt: b.CreatedAt, CancelledAt: b.CancelledAt}
		if a, err := s.Agenda(ctx, tenantID, b.AgendaID); err == nil { // an agenda since deleted leaves its name out
			e.Agenda = a.Name
			if t := a.Type(b.TypeID); t != nil {
				e.Type = t.Name
			}
		}
		out = append(out, e)
	}
	return out, nil
}
