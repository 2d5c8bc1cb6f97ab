package queue

import (
	"context"
	"fmt"
	"time"
)

// Board is what a site's display board shows.
type Board struct {
	// Calls are the tickets at counters now, latest call first.
	Calls []Call `json:"calls"`
	// Recent are the last calls before them.
	Recent   []Call        `json:"recent"`
	Services []ServiceLine `json:"services"`
}

// ServiceLine is one service's queue on the board.
type ServiceLine struct {
	Letter  string `json:"letter"`
	Name    string `json:"name"`
	Waiting int    `json:"waiting"`
	// Wait is a new arrival's estimated wait in minutes (-1: no counter
	// open for it).
	Wait int `json:"wait"`
}

// RecentCalls is how many earlier calls a board lists.
const RecentCalls = 6

// BoardOf returns a site's board for the day.
func (s *Store) BoardOf(ctx context.Context, site *Site, lang string, loc *time.Location) (*Board, error) {
	b := &Board{Calls: []Call{}, Recent: []Call{}, Services: []ServiceLine{}}
	rows, err := s.db.Query(ctx, `SELECT label, counter_name, service_id, state, called_at FROM queue_tickets
		WHERE tenant_id = ? AND site_id = ? AND day = ? AND called_at IS NOT NULL ORDER BY called_at DESC LIMIT ?`,
		site.TenantID, site.ID, Day(s.now(), loc), 20+RecentCalls)
	if err != nil {
		return nil, fmt.Errorf("queue: board: %w", err)
	}
	for rows.Next() {
		var c Call
		var serviceID, state string
		if err := rows.Scan(&c.Label, &c.Counter, &serviceID, &state, &c.At); err != nil {
			rows.Close()
			return nil, err
		}
		if svc := site.Service(serviceID); svc != nil {
			c.Service = svc.Title(lang)
		}
		if state == Called {
			b.Calls = append(b.Calls, c)
		} else if len(b.Recent) < RecentCalls {
			b.Recent = append(b.Recent, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	waiting := map[string]int{}
	rows, err = s.db.Query(ctx, `SELECT service_id, COUNT(*) FROM queue_tickets WHERE tenant_id = ? AND site_id = ? AND state = ?
		GROUP BY service_id`, site.TenantID, site.ID, Waiting)
	if err != nil {
		return nil, fmt.Errorf("queue: board: %w", err)
	}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, err
		}
		waiting[id] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	busy, err := busyCounters(ctx, s.db, site)
	if err != nil {
		return nil, err
	}
	for i := range site.Services {
		svc := &site.Services[i]
		e, err := s.newArrivalWait(ctx, site, svc, busy)
		if err != nil {
			return nil, err
		}
		b.Services = append(b.Services, ServiceLine{Letter: svc.Letter, Name: svc.Title(lang), Waiting: waiting[svc.ID], Wait: minutes(e.Wait)})
	}
	return b, nil
}

// Waiting returns the waiting tickets of a site, in call order, for the
// agents' console.
func (s *Store) Waiting(ctx context.Context, site *Site, limit int) ([]*Ticket, error) {
	rows, err := s.db.Query(ctx, `SELECT `+ticketColumns+` FROM queue_tickets WHERE tenant_id = ? AND site_id = ? AND state = ?
		ORDER BY priority DESC, queued_at, number LIMIT ?`, site.TenantID, site.ID, Waiting, limit)
	if err != nil {
		return nil, fmt.Errorf("queue: waiting: %w", err)
	}
	defer rows.Close()
	var out []*Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
