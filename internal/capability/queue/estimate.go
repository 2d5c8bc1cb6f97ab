package queue

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"guichet/internal/kernel/db"
)

// Estimate is a ticket's expected wait.
type Estimate struct {
	Ahead    int           // people called before it
	Counters int           // open counters serving its service
	Wait     time.Duration // -1 when no counter serves the service
}

// EstimateWait is the wait of a visitor with ahead people before them,
// when counters serve the service, idle of them free now, and a visit
// lasts average: the free counters take the first ones at once; past
// them, the first busy counter frees after about average/(counters+1)
// (the remaining part of visits under way), then one every
// average/counters.
func EstimateWait(ahead, counters, idle int, average time.Duration) time.Duration {
	if counters <= 0 {
		return -1
	}
	if ahead < idle {
		return 0
	}
	k := ahead - idle
	return average/time.Duration(counters+1) + time.Duration(k)*average/time.Duration(counters)
}

// estimate computes t's expected wait at now: the people the counters
// serving its service call before it (of any service those counters
// serve, in call order: higher priority, or same priority and earlier),
// the appointments that will become due in that time, and those counters.
func (s *Store) estimate(ctx context.Context, q db.Querier, site *Site, svc *Service, t *Ticket, now time.Time) (Estimate, error) {
	busy, err := busyCounters(ctx, q, site)
	if err != nil {
		return Estimate{}, err
	}
	return s.estimateWith(ctx, q, site, svc, t, now, busy)
}

// busyCounters returns the site's counters with a visit under way.
func busyCounters(ctx context.Context, q db.Querier, site *Site) (map[string]bool, error) {
	busy := map[string]bool{}
	rows, err := q.Query(ctx, `SELECT counter_id FROM queue_tickets WHERE tenant_id = ? AND site_id = ? AND state = ?`,
		site.TenantID, site.ID, Called)
	if err != nil {
		return nil, fmt.Errorf("queue: estimate: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		busy[id] = true
	}
	return busy, rows.Err()
}

// estimateWith is estimate with the busy counters already read.
func (s *Store) estimateWith(ctx context.Context, q db.Querier, site *Site, svc *Service, t *Ticket, now time.Time, busy map[string]bool) (Estimate, error) {
	var e Estimate
	idle := 0
	served := []string{svc.ID}
	for i := range site.Counters {
		if c := &site.Counters[i]; c.Serves(svc.ID) {
			e.Counters++
			if !busy[c.ID] {
				idle++
			}
			for _, id := range c.Services {
				if !slices.Contains(served, id) {
					served = append(served, id)
				}
			}
		}
	}
	// Everyone the same counters call first, of any of their services,
	// each counted at their own service's average.
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(served)), ", ")
	args := []any{site.TenantID, site.ID, Waiting, t.ID, now, t.Priority, t.Priority, t.QueuedAt, t.QueuedAt, t.Number}
	for _, id := range served {
		args = append(args, id)
	}
	rows, err := q.Query(ctx, `SELECT service_id, COUNT(*) FROM queue_tickets WHERE tenant_id = ? AND site_id = ? AND state = ? AND id <> ?
		AND eligible_at <= ? AND (priority > ? OR (priority = ? AND (queued_at < ? OR (queued_at = ? AND number < ?))))
		AND service_id IN (`+marks+`) GROUP BY service_id`, args...)
	if err != nil {
		return e, fmt.Errorf("queue: estimate: %w", err)
	}
	var work time.Duration
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return e, err
		}
		avg := svc.Average
		if o := site.Service(id); o != nil {
			avg = o.Average
		}
		e.Ahead += n
		work += time.Duration(n) * avg
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return e, err
	}
	average := svc.Average
	if e.Ahead > 0 {
		average = work / time.Duration(e.Ahead)
	}
	e.Wait = EstimateWait(e.Ahead, e.Counters, idle, average)
	if e.Wait > 0 && t.Priority < Appointment {
		// Appointments due before this ticket's turn go first.
		var due int
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM queue_tickets WHERE tenant_id = ? AND service_id = ? AND state = ?
			AND priority = ? AND eligible_at > ? AND eligible_at <= ?`,
			site.TenantID, svc.ID, Waiting, Appointment, now, now.Add(e.Wait)).Scan(&due); err != nil {
			return e, fmt.Errorf("queue: estimate: %w", err)
		}
		e.Ahead += due
		e.Wait = EstimateWait(e.Ahead, e.Counters, idle, average)
	}
	if e.Wait >= 0 && t.EligibleAt.After(now) && t.EligibleAt.Sub(now) > e.Wait {
		e.Wait = t.EligibleAt.Sub(now)
	}
	return e, nil
}

// newArrivalWait is the wait a visitor taking a ticket of svc now would
// be told, for boards and the services' list.
func (s *Store) newArrivalWait(ctx context.Context, site *Site, svc *Service, busy map[string]bool) (Estimate, error) {
	now := s.now()
	return s.estimateWith(ctx, s.db, site, svc, &Ticket{ID: "", Priority: Normal, QueuedAt: now, EligibleAt: now, Number: 1 << 30}, now, busy)
}

// rollingWeight is the share of the last visit in a service's average:
// about the last ten visits count.
const rollingWeight = 0.15

// nextAverage folds one visit's length into the rolling average; visits
// under 20 seconds (a mistaken call) or over 2 hours (a counter left open)
// are ignored.
func nextAverage(avg, visit time.Duration) time.Duration {
	if visit < 20*time.Second || visit > 2*time.Hour {
		return avg
	}
	return avg + time.Duration(rollingWeight*float64(visit-avg))
}
