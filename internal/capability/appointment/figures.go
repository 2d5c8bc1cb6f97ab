package appointment

import (
	"context"
	"fmt"
	"time"
)

// Figures sums up an agenda's bookings over a period.
type Figures struct {
	Bookings      int // taken, cancelled ones included
	Cancellations int
	Seen          int // arrived or done
	NoShows       int
	// NoShowRate is no-shows over appointments that took place or were
	// missed, in percent.
	NoShowRate float64
	// LeadDays is the mean time between booking and appointment, in days.
	LeadDays float64
	ByType   map[string]int // type id → bookings not cancelled
	ByOrigin map[string]int // resident, guest, agent, waitlist
}

// Figures returns the figures of the appointments starting in [from, to).
// Holds never confirmed (a waiting-list offer, a guest's booking) are not
// appointments: only their confirmation clears hold_until.
func (s *Store) Figures(ctx context.Context, a *Agenda, from, to time.Time) (*Figures, error) {
	rows, err := s.db.Query(ctx, `SELECT type_id, status, booked_by, starts_at, created_at FROM appointment_bookings
		WHERE tenant_id = ? AND agenda_id = ? AND starts_at >= ? AND starts_at < ? AND hold_until IS NULL`,
		a.TenantID, a.ID, from.UTC(), to.UTC())
	if err != nil {
		return nil, fmt.Errorf("appointment: figures: %w", err)
	}
	defer rows.Close()
	f := &Figures{ByType: map[string]int{}, ByOrigin: map[string]int{}}
	var lead time.Duration
	var leadN int
	for rows.Next() {
		var typ, status, origin string
		var start, created time.Time
		if err := rows.Scan(&typ, &status, &origin, &start, &created); err != nil {
			return nil, err
		}
		f.Bookings++
		switch status {
		case StatusCancelled:
			f.Cancellations++
			continue
		case StatusArrived, StatusDone:
			f.Seen++
		case StatusNoShow:
			f.NoShows++
		}
		f.ByType[typ]++
		f.ByOrigin[origin]++
		lead += start.Sub(created)
		leadN++
	}
	if f.Seen+f.NoShows > 0 {
		f.NoShowRate = 100 * float64(f.NoShows) / float64(f.Seen+f.NoShows)
	}
	if leadN > 0 {
		f.LeadDays = lead.Hours() / 24 / float64(leadN)
	}
	return f, rows.Err()
}
