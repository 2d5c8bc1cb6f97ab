package queue

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Figures are a site's waiting and service times over a period.
type Figures struct {
	From, To string // local days, inclusive
	Tickets  int
	Services []ServiceFigures
	// Hours are the arrivals and mean wait per local hour of the day.
	Hours [24]HourFigures
	// Days are the tickets and mean wait of each day with tickets.
	Days []DayFigures
}

// ServiceFigures are one service's figures.
type ServiceFigures struct {
	Letter, Name             string
	Tickets, Served, Missed  int // missed: absent when called, or left
	MeanWait, MeanService    time.Duration
	Abandonment              float64 // missed over tickets ended
	waitSum, serviceSum      time.Duration
	waited, servedWithLength int
}

// HourFigures are one hour of the day's arrivals.
type HourFigures struct {
	Arrivals int
	MeanWait time.Duration
	waitSum  time.Duration
	waited   int
}

// DayFigures are one day's tickets.
type DayFigures struct {
	Day      string
	Tickets  int
	MeanWait time.Duration
	waitSum  time.Duration
	waited   int
}

// BusiestHour returns the local hour with the most arrivals (-1: none).
func (f *Figures) BusiestHour() int {
	best, n := -1, 0
	for h, x := range f.Hours {
		if x.Arrivals > n {
			best, n = h, x.Arrivals
		}
	}
	return best
}

// FiguresOf computes a site's figures over the local days from and to.
func (s *Store) FiguresOf(ctx context.Context, site *Site, from, to string, loc *time.Location) (*Figures, error) {
	f := &Figures{From: from, To: to}
	idx := map[string]int{}
	for i := range site.Services {
		idx[site.Services[i].ID] = i
		f.Services = append(f.Services, ServiceFigures{Letter: site.Services[i].Letter, Name: site.Services[i].Name})
	}
	rows, err := s.db.Query(ctx, `SELECT service_id, day, state, created_at, eligible_at, called_at, ended_at FROM queue_tickets
		WHERE tenant_id = ? AND site_id = ? AND day >= ? AND day <= ? ORDER BY day`, site.TenantID, site.ID, from, to)
	if err != nil {
		return nil, fmt.Errorf("queue: figures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var serviceID, day, state string
		var created, eligible time.Time
		var called, ended sql.NullTime
		if err := rows.Scan(&serviceID, &day, &state, &created, &eligible, &called, &ended); err != nil {
			return nil, err
		}
		i, ok := idx[serviceID]
		if !ok {
			continue
		}
		f.Tickets++
		sf := &f.Services[i]
		sf.Tickets++
		if len(f.Days) == 0 || f.Days[len(f.Days)-1].Day != day {
			f.Days = append(f.Days, DayFigures{Day: day})
		}
		df := &f.Days[len(f.Days)-1]
		df.Tickets++
		hf := &f.Hours[created.In(loc).Hour()]
		hf.Arrivals++
		switch state {
		case Done:
			sf.Served++
		case Absent, Cancelled:
			sf.Missed++
		}
		if called.Valid {
			start := created
			if eligible.After(start) {
				start = eligible
			}
			w := max(called.Time.Sub(start), 0)
			sf.waitSum += w
			sf.waited++
			hf.waitSum += w
			hf.waited++
			df.waitSum += w
			df.waited++
			if state == Done && ended.Valid {
				sf.serviceSum += ended.Time.Sub(called.Time)
				sf.servedWithLength++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range f.Services {
		sf := &f.Services[i]
		sf.MeanWait, sf.MeanService = mean(sf.waitSum, sf.waited), mean(sf.serviceSum, sf.servedWithLength)
		if n := sf.Served + sf.Missed; n > 0 {
			sf.Abandonment = float64(sf.Missed) / float64(n)
		}
	}
	for h := range f.Hours {
		f.Hours[h].MeanWait = mean(f.Hours[h].waitSum, f.Hours[h].waited)
	}
	for i := range f.Days {
		f.Days[i].MeanWait = mean(f.Days[i].waitSum, f.Days[i].waited)
	}
	return f, nil
}

func mean(sum time.Duration, n int) time.Duration {
	if n == 0 {
		return 0
	}
	return sum / time.Duration(n)
}
