package appointment

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"guichet/internal/kernel/invalidate"
)

// agendaTTL bounds how long another process's change to an agenda's
// settings or exceptions may go unseen; this process forgets its copies
// on its own writes at once.
const agendaTTL = 10 * time.Second

// definitions caches agendas (with resources, types and hours) and their
// coming exceptions: every slot page and booking needs them, they change
// rarely, and a rush would otherwise read them thousands of times a second.
type definitions struct {
	mu      sync.Mutex
	entries map[string]*cachedAgenda // tenant id + "/" + agenda id or slug
	// loads lets one request reload a missing agenda while the others of
	// the rush wait for it instead of all reading the database at once.
	loads singleflight.Group
}

type cachedAgenda struct {
	agenda     *Agenda
	exceptions []Exception // from the day before loading on
	from       Day
	at         time.Time
}

func (c *definitions) get(key string, now time.Time) *cachedAgenda {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[key]
	if e == nil || now.Sub(e.at) > agendaTTL || now.Before(e.at) {
		return nil
	}
	return e
}

func (c *definitions) put(e *cachedAgenda) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) > 10_000 {
		c.entries = map[string]*cachedAgenda{}
	}
	c.entries[e.agenda.TenantID+"/"+e.agenda.ID] = e
	c.entries[e.agenda.TenantID+"/"+e.agenda.Slug] = e
}

// drop forgets the agendas a change touches, under their id and slug.
func (c *definitions) drop(ch invalidate.Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		if ch.Touches(e.agenda.TenantID, e.agenda.ID) {
			delete(c.entries, k)
		}
	}
}

// cached returns the agenda and its exceptions from the cache, loading
// them when missing or stale. The agenda returned is a copy the caller
// may change.
func (s *Store) cached(ctx context.Context, tenantID, key string) (*Agenda, *cachedAgenda, error) {
	now := time.Now()
	if e := s.defs.get(tenantID+"/"+key, now); e != nil {
		cp := *e.agenda
		return &cp, e, nil
	}
	v, err, _ := s.defs.loads.Do(tenantID+"/"+key, func() (any, error) {
		// Detached from the first caller: the others wait on this load too.
		ctx := context.WithoutCancel(ctx)
		a, err := s.loadAgenda(ctx, tenantID, key)
		if err != nil {
			return nil, err
		}
		from := DayOf(s.Now(), time.UTC).AddDays(-2)
		exc, err := s.loadExceptions(ctx, tenantID, a.ID, from, from.AddDays(3660))
		if err != nil {
			return nil, err
		}
		e := &cachedAgenda{agenda: a, exceptions: exc, from: from, at: now}
		s.defs.put(e)
		return e, nil
	})
	if err != nil {
		return nil, nil, err
	}
	e := v.(*cachedAgenda)
	cp := *e.agenda
	return &cp, e, nil
}

// exceptionsBetween returns the cached exceptions from day from to day to,
// or false when the cache does not cover them.
func (e *cachedAgenda) exceptionsBetween(from, to Day) ([]Exception, bool) {
	if from.Before(e.from) {
		return nil, false
	}
	var out []Exception
	lo, hi := from.String(), to.String()
	for _, x := range e.exceptions {
		if x.Day >= lo && x.Day <= hi {
			out = append(out, x)
		}
	}
	return out, true
}
