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
	// lists holds each collectivité's active agendas (without details):
	// the services page and the API's list would otherwise read them on
	// every request.
	lists map[string]agendaList
	// gen counts drops: a load that began before one must not store what
	// it read (it may predate the change).
	gen uint64
}

type agendaList struct {
	agendas []*Agenda
	at      time.Time
}

type cachedAgenda struct {
	agenda     *Agenda
	exceptions []Exception // from the day before loading on
	// byDay holds the exceptions by day, as a calendar reads them: parsed
	// once, not on every request.
	byDay map[Day][]Exception
	from  Day
	at    time.Time
}

// calendar returns the calendar of a, whose settings are the cached
// agenda's, in loc with the cached exceptions: for the days from e.from on.
func (e *cachedAgenda) calendar(a *Agenda, loc *time.Location) *Calendar {
	return &Calendar{Agenda: a, Loc: loc, exceptions: e.byDay, holidays: newHolidaySet(a.AlsaceMoselle), def: e}
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

func (c *definitions) put(e *cachedAgenda, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.entries == nil || len(c.entries) > 10_000 {
		c.entries = map[string]*cachedAgenda{}
	}
	c.entries[e.agenda.TenantID+"/"+e.agenda.ID] = e
	c.entries[e.agenda.TenantID+"/"+e.agenda.Slug] = e
}

// generation returns the count of drops, taken before a load.
func (c *definitions) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// drop forgets the agendas a change touches, under their id and slug,
// and the list of their collectivité (a change to any agenda may change
// its name, place or status there).
func (c *definitions) drop(ch invalidate.Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for k, e := range c.entries {
		if ch.Touches(e.agenda.TenantID, e.agenda.ID) {
			delete(c.entries, k)
		}
	}
	for tenantID := range c.lists {
		if ch.Touches(tenantID, "") {
			delete(c.lists, tenantID)
		}
	}
}

// list returns the collectivité's cached active agendas, or false.
func (c *definitions) list(tenantID string, now time.Time) ([]*Agenda, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.lists[tenantID]
	if !ok || now.Sub(l.at) > agendaTTL || now.Before(l.at) {
		return nil, false
	}
	return l.agendas, true
}

func (c *definitions) putList(tenantID string, l agendaList, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.lists == nil || len(c.lists) > 10_000 {
		c.lists = map[string]agendaList{}
	}
	c.lists[tenantID] = l
}

// activeAgendas returns the collectivité's active agendas from the cache,
// loading them when missing or stale; each is a copy the caller may change.
func (s *Store) activeAgendas(ctx context.Context, tenantID string) ([]*Agenda, error) {
	now := time.Now()
	list, ok := s.defs.list(tenantID, now)
	if !ok {
		v, err, _ := s.defs.loads.Do("list/"+tenantID, func() (any, error) {
			gen := s.defs.generation()
			list, err := s.queryAgendas(context.WithoutCancel(ctx), tenantID, true)
			if err != nil {
				return nil, err
			}
			s.defs.putList(tenantID, agendaList{agendas: list, at: now}, gen)
			return list, nil
		})
		if err != nil {
			return nil, err
		}
		list = v.([]*Agenda)
	}
	out := make([]*Agenda, len(list))
	for i, a := range list {
		cp := *a
		out[i] = &cp
	}
	return out, nil
}

// cached returns the agenda and its exceptions from the cache, loading
// them when missing or stale. The agenda returned is a copy the caller
// may change.
func (s *Store) cached(ctx context.Context, tenantID, key string) (*Agenda, *cachedAgenda, error) {
	e, err := s.cachedEntry(ctx, tenantID, key)
	if err != nil {
		return nil, nil, err
	}
	cp := *e.agenda
	return &cp, e, nil
}

// cachedEntry is cached without the copy: the entry is shared and must
// not be changed.
func (s *Store) cachedEntry(ctx context.Context, tenantID, key string) (*cachedAgenda, error) {
	now := time.Now()
	if e := s.defs.get(tenantID+"/"+key, now); e != nil {
		return e, nil
	}
	v, err, _ := s.defs.loads.Do(tenantID+"/"+key, func() (any, error) {
		// Detached from the first caller: the others wait on this load too.
		ctx := context.WithoutCancel(ctx)
		gen := s.defs.generation()
		a, err := s.loadAgenda(ctx, tenantID, key)
		if err != nil {
			return nil, err
		}
		from := DayOf(s.Now(), time.UTC).AddDays(-2)
		exc, err := s.loadExceptions(ctx, tenantID, a.ID, from, from.AddDays(3660))
		if err != nil {
			return nil, err
		}
		e := &cachedAgenda{agenda: a, exceptions: exc, byDay: exceptionsByDay(exc), from: from, at: now}
		s.defs.put(e, gen)
		return e, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*cachedAgenda), nil
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
