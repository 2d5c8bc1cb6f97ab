package appointment

import (
	"context"
	"math"
	"sort"
	"time"
)

// In a rush, thousands of requests ask for the same day's free times
// between two changes of what is busy. The slots computed on one snapshot
// of the occupancy are kept with it, for all times of day: each reader
// only drops those inside its minimum notice.

type slotsKey struct {
	def      *cachedAgenda // the agenda's settings and exceptions
	loc      *time.Location
	typeID   string
	duration time.Duration
	from, to Day
	idle     bool // as if nothing were busy: the times the agenda offers at all
}

type slotsMemo struct {
	gen   int64
	ready chan struct{} // closed once slots is set
	slots []Slot
}

// memoSlotsMax bounds the kept lists per agenda; past it they start over.
const memoSlotsMax = 64

// memoSlots returns the slots of c from day from to day to on busy, the
// snapshot of generation gen, starting at earliest or later; the list is
// shared and must not be changed.
func (s *Store) memoSlots(k slotsKey, gen int64, c *Calendar, typ *Type, earliest int64, busy Busy) []Slot {
	s.occ.mu.Lock()
	e := s.occ.agendas[c.Agenda.ID]
	if e == nil {
		s.occ.mu.Unlock()
		return c.slots(typ, k.from, k.to, earliest, busy)
	}
	m := e.memo[k]
	switch {
	case m != nil && m.gen == gen:
		s.occ.mu.Unlock()
		<-m.ready
	case m == nil || m.gen < gen:
		if e.memo == nil || len(e.memo) >= memoSlotsMax {
			e.memo = map[slotsKey]*slotsMemo{}
		}
		m = &slotsMemo{gen: gen, ready: make(chan struct{})}
		e.memo[k] = m
		s.occ.mu.Unlock()
		m.slots = c.slots(typ, k.from, k.to, math.MinInt64, busy)
		close(m.ready)
	default: // an older snapshot than the one kept
		s.occ.mu.Unlock()
		return c.slots(typ, k.from, k.to, earliest, busy)
	}
	all := m.slots
	i := sort.Search(len(all), func(i int) bool { return all[i].Start.Unix() >= earliest })
	return all[i:len(all):len(all)]
}

// sameSlotRules reports whether a computes slots as b does: the settings
// the slot engine reads, and the very same hours and resources.
func (a *Agenda) sameSlotRules(b *Agenda) bool {
	return a.Step == b.Step && a.Buffer == b.Buffer && a.AlsaceMoselle == b.AlsaceMoselle &&
		sameSlice(a.Hours, b.Hours) && sameSlice(a.Resources, b.Resources)
}

func sameSlice[T any](x, y []T) bool {
	return len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
}

// offered returns the slots of c on the days from to to as if nothing
// were busy: what tells a time taken from a time never offered.
func (s *Store) offered(c *Calendar, typ *Type, from, to Day, now time.Time) []Slot {
	if last := c.LastDay(now); last.Before(to) {
		to = last
	}
	earliest := now.Add(c.Agenda.MinNotice).Unix()
	if c.def == nil {
		return c.slots(typ, from, to, earliest, nil)
	}
	k := slotsKey{def: c.def, loc: c.Loc, typeID: typ.ID, duration: typ.Duration, from: from, to: to, idle: true}
	return s.memoSlots(k, 1, c, typ, earliest, nil)
}

// Offers reports whether a offers start for typ at all, free or taken: a
// time of its hours and exceptions, inside its window and minimum notice.
// The times offered over the whole window are computed once per version
// of the agenda's settings, whatever the day asked.
func (s *Store) Offers(ctx context.Context, a *Agenda, loc *time.Location, typ *Type, start time.Time) (bool, error) {
	now := s.Now()
	today, day := DayOf(now, loc), DayOf(start, loc)
	var idle []Slot
	if e, err := s.cachedEntry(ctx, a.TenantID, a.ID); err == nil && e.agenda.sameSlotRules(a) && !today.Before(e.from) {
		c := e.calendar(a, loc)
		idle = s.offered(c, typ, today, c.LastDay(now), now)
	} else {
		_, c, err := s.Free(ctx, a, loc, typ, day, day)
		if err != nil {
			return false, err
		}
		idle = s.offered(c, typ, day, day, now)
	}
	i := sort.Search(len(idle), func(i int) bool { return !idle[i].Start.Before(start) })
	return i < len(idle) && idle[i].Start.Equal(start), nil
}
