package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"guichet"
	"guichet/internal/kernel/db"
)

// Agent is who holds a counter.
type Agent struct{ ID, Name string }

// OpenCounter opens a counter for agent, serving services (ids of the
// site's services); the agent already holding it may change them.
func (s *Store) OpenCounter(ctx context.Context, site *Site, counterID string, agent Agent, services []string) (*Counter, error) {
	c := site.Counter(counterID)
	if c == nil {
		return nil, ErrNotFound
	}
	var chosen []string
	for _, id := range services {
		if site.Service(id) != nil && !slices.Contains(chosen, id) {
			chosen = append(chosen, id)
		}
	}
	if len(chosen) == 0 {
		return nil, ErrNoService
	}
	res, err := s.db.Exec(ctx, `UPDATE queue_counters SET state = ?, agent_id = ?, agent_name = ?, services = ?, changed_at = ?
		WHERE tenant_id = ? AND id = ? AND (state = ? OR agent_id = ?)`,
		Open, agent.ID, agent.Name, strings.Join(chosen, ","), s.now(), site.TenantID, c.ID, Closed, agent.ID)
	if err != nil {
		return nil, fmt.Errorf("queue: open counter: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, ErrCounterTaken
	}
	c.State, c.AgentID, c.AgentName, c.Services = Open, agent.ID, agent.Name, chosen
	s.tell(ctx, site.TenantID, site.ID, "file", "")
	return c, nil
}

// held returns the counter when agent holds it (open or paused).
func held(site *Site, counterID string, agent Agent) (*Counter, error) {
	c := site.Counter(counterID)
	if c == nil {
		return nil, ErrNotFound
	}
	if c.State == Closed {
		return nil, ErrCounterClosed
	}
	if c.AgentID != agent.ID {
		return nil, ErrCounterTaken
	}
	return c, nil
}

// SetPaused pauses a counter (no calls, not counted in estimates) or
// resumes it.
func (s *Store) SetPaused(ctx context.Context, site *Site, counterID string, agent Agent, paused bool) error {
	c, err := held(site, counterID, agent)
	if err != nil {
		return err
	}
	state := Open
	if paused {
		state = Paused
	}
	if _, err := s.db.Exec(ctx, `UPDATE queue_counters SET state = ?, changed_at = ? WHERE tenant_id = ? AND id = ? AND agent_id = ?`,
		state, s.now(), site.TenantID, c.ID, agent.ID); err != nil {
		return fmt.Errorf("queue: pause: %w", err)
	}
	c.State = state
	s.tell(ctx, site.TenantID, site.ID, "file", "")
	return nil
}

// CloseCounter closes a counter once its visit is ended.
func (s *Store) CloseCounter(ctx context.Context, site *Site, counterID string, agent Agent) error {
	c, err := held(site, counterID, agent)
	if err != nil {
		return err
	}
	if cur, err := s.Current(ctx, site, c.ID); err != nil {
		return err
	} else if cur != nil {
		return ErrBusy
	}
	if _, err := s.db.Exec(ctx, `UPDATE queue_counters SET state = ?, agent_id = '', agent_name = '', changed_at = ? WHERE tenant_id = ? AND id = ?`,
		Closed, s.now(), site.TenantID, c.ID); err != nil {
		return fmt.Errorf("queue: close counter: %w", err)
	}
	c.State, c.AgentID, c.AgentName = Closed, "", ""
	s.tell(ctx, site.TenantID, site.ID, "file", "")
	return nil
}

// Current returns the ticket at a counter, or nil.
func (s *Store) Current(ctx context.Context, site *Site, counterID string) (*Ticket, error) {
	t, err := scanTicket(s.db.QueryRow(ctx, `SELECT `+ticketColumns+` FROM queue_tickets WHERE tenant_id = ? AND site_id = ? AND counter_id = ? AND state = ?
		ORDER BY called_at DESC LIMIT 1`, site.TenantID, site.ID, counterID, Called))
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return t, err
}

// CallNext ends the counter's visit under way (as treated), then calls the
// next ticket of its services: a due appointment first, then priority
// tickets, then by arrival. It returns nil when nobody waits.
func (s *Store) CallNext(ctx context.Context, site *Site, counterID string, agent Agent) (*Ticket, error) {
	c, err := held(site, counterID, agent)
	if err != nil {
		return nil, err
	}
	if c.State != Open {
		return nil, guichet.Errorf(guichet.EConflict, "Ce guichet est en pause : reprenez d'abord.")
	}
	var called *Ticket
	var ended bool
	err = retried(func() error {
		return s.db.InTx(ctx, func(tx *db.Tx) (err error) {
			called, ended = nil, false
			now := s.now()
			// The counter's row first: two calls of one counter take turns.
			res, err := tx.Exec(ctx, `UPDATE queue_counters SET changed_at = ? WHERE tenant_id = ? AND id = ? AND state = ? AND agent_id = ?`,
				now, site.TenantID, c.ID, Open, agent.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return ErrCounterTaken
			}
			last, err := s.end(ctx, tx, site, c.ID, Done, Outcomes[0], now)
			if err != nil {
				return err
			}
			ended = last != nil
			// The service's average last: its row is shared by every counter
			// serving the service, and held from here to the commit.
			defer func() {
				if err == nil {
					err = s.fold(ctx, tx, site, last, now)
				}
			}()
			marks := strings.TrimSuffix(strings.Repeat("?, ", len(c.Services)), ", ")
			args := []any{site.TenantID, site.ID, Waiting, now, c.ID}
			for _, id := range c.Services {
				args = append(args, id)
			}
			for range 8 { // another counter may take the same ticket first
				var id string
				err := tx.QueryRow(ctx, `SELECT id FROM queue_tickets WHERE tenant_id = ? AND site_id = ? AND state = ? AND eligible_at <= ?
				AND (for_counter = '' OR for_counter = ?) AND service_id IN (`+marks+`)
				ORDER BY priority DESC, queued_at, number LIMIT 1`, args...).Scan(&id)
				if errors.Is(err, sql.ErrNoRows) {
					return nil
				}
				if err != nil {
					return err
				}
				res, err := tx.Exec(ctx, `UPDATE queue_tickets SET state = ?, counter_id = ?, counter_name = ?, called_at = ?, for_counter = ''
				WHERE tenant_id = ? AND id = ? AND state = ?`, Called, c.ID, c.Name, now, site.TenantID, id, Waiting)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n == 1 {
					called, err = scanTicket(tx.QueryRow(ctx, `SELECT `+ticketColumns+` FROM queue_tickets WHERE tenant_id = ? AND id = ?`, site.TenantID, id))
					return err
				}
			}
			return guichet.Errorf(guichet.EConflict, "Trop d'appels simultanés : réessayez.")
		})
	})
	if err != nil {
		return nil, fmt.Errorf("queue: call next: %w", err)
	}
	if called != nil {
		svc := site.Service(called.ServiceID)
		s.tellCall(ctx, called, svc.Name)
		s.tellNear(ctx, site)
	} else if ended {
		s.tell(ctx, site.TenantID, site.ID, "file", "")
	}
	return called, nil
}

// visit is a visit ended at a counter.
type visit struct {
	serviceID, state string
	calledAt         time.Time
}

// end closes the counter's visit under way, if any.
func (s *Store) end(ctx context.Context, tx *db.Tx, site *Site, counterID, state, outcome string, now time.Time) (*visit, error) {
	var id string
	v := &visit{state: state}
	err := tx.QueryRow(ctx, `SELECT id, service_id, called_at FROM queue_tickets WHERE tenant_id = ? AND site_id = ? AND counter_id = ? AND state = ?`,
		site.TenantID, site.ID, counterID, Called).Scan(&id, &v.serviceID, &v.calledAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `UPDATE queue_tickets SET state = ?, outcome = ?, ended_at = ? WHERE tenant_id = ? AND id = ?`,
		state, outcome, now, site.TenantID, id); err != nil {
		return nil, err
	}
	return v, nil
}

// fold adds a visit served to its service's rolling average.
func (s *Store) fold(ctx context.Context, tx *db.Tx, site *Site, v *visit, now time.Time) error {
	if v == nil || v.state != Done {
		return nil
	}
	var avg int
	if err := tx.QueryRow(ctx, `SELECT average_seconds FROM queue_services WHERE tenant_id = ? AND id = ?`, site.TenantID, v.serviceID).Scan(&avg); err != nil {
		return err
	}
	next := nextAverage(time.Duration(avg)*time.Second, now.Sub(v.calledAt))
	_, err := tx.Exec(ctx, `UPDATE queue_services SET average_seconds = ? WHERE tenant_id = ? AND id = ?`, int(next/time.Second), site.TenantID, v.serviceID)
	return err
}

// retried runs tx again, twice at most, when PostgreSQL chose it as the
// victim of a deadlock or of a serialization failure: it was rolled back
// whole.
func retried(tx func() error) error {
	var err error
	for range 3 {
		if err = tx(); err == nil || !(strings.Contains(err.Error(), "SQLSTATE 40P01") || strings.Contains(err.Error(), "SQLSTATE 40001")) {
			return err
		}
	}
	return err
}

// Finish ends the counter's visit: done with an outcome, or absent.
func (s *Store) Finish(ctx context.Context, site *Site, counterID string, agent Agent, state, outcome string) error {
	if _, err := held(site, counterID, agent); err != nil {
		return err
	}
	if state != Done && state != Absent {
		return guichet.Errorf(guichet.EInvalid, "État inconnu.")
	}
	if state == Done && !slices.Contains(Outcomes, outcome) {
		return guichet.Invalid(map[string]string{"outcome": "Choisissez l'issue de la visite."})
	}
	var ended bool
	err := retried(func() error {
		return s.db.InTx(ctx, func(tx *db.Tx) error {
			now := s.now()
			v, err := s.end(ctx, tx, site, counterID, state, outcome, now)
			ended = v != nil
			if err != nil {
				return err
			}
			return s.fold(ctx, tx, site, v, now)
		})
	})
	if err != nil {
		return fmt.Errorf("queue: finish: %w", err)
	}
	if !ended {
		return ErrNoTicket
	}
	s.tell(ctx, site.TenantID, site.ID, "file", "")
	return nil
}

// Recall calls the counter's ticket again.
func (s *Store) Recall(ctx context.Context, site *Site, counterID string, agent Agent) (*Ticket, error) {
	c, err := held(site, counterID, agent)
	if err != nil {
		return nil, err
	}
	t, err := s.Current(ctx, site, c.ID)
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, ErrNoTicket
	}
	if _, err := s.db.Exec(ctx, `UPDATE queue_tickets SET recalls = recalls + 1 WHERE tenant_id = ? AND id = ?`, site.TenantID, t.ID); err != nil {
		return nil, fmt.Errorf("queue: recall: %w", err)
	}
	t.Recalls++
	s.tellCall(ctx, t, site.Service(t.ServiceID).Name)
	return t, nil
}

// Transfer sends the counter's ticket back to the queue of another
// service, or to one counter, keeping its arrival time so that it comes
// first there.
func (s *Store) Transfer(ctx context.Context, site *Site, counterID string, agent Agent, serviceID, toCounter string) error {
	c, err := held(site, counterID, agent)
	if err != nil {
		return err
	}
	t, err := s.Current(ctx, site, c.ID)
	if err != nil {
		return err
	}
	if t == nil {
		return ErrNoTicket
	}
	if toCounter != "" {
		to := site.Counter(toCounter)
		if to == nil || to.ID == c.ID {
			return guichet.Invalid(map[string]string{"to": "Choisissez un autre guichet."})
		}
		serviceID = t.ServiceID
		if len(to.Services) > 0 && !slices.Contains(to.Services, serviceID) {
			serviceID = to.Services[0]
		}
	}
	if site.Service(serviceID) == nil {
		return guichet.Invalid(map[string]string{"to": "Choisissez un service ou un guichet."})
	}
	if _, err := s.db.Exec(ctx, `UPDATE queue_tickets SET state = ?, service_id = ?, for_counter = ?, counter_id = '', counter_name = '',
		called_at = NULL, queued_at = created_at WHERE tenant_id = ? AND id = ? AND state = ?`,
		Waiting, serviceID, toCounter, site.TenantID, t.ID, Called); err != nil {
		return fmt.Errorf("queue: transfer: %w", err)
	}
	s.tell(ctx, site.TenantID, site.ID, "file", "")
	return nil
}
