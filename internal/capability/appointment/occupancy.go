package appointment

import (
	"context"
	"math"
	"sort"
	"sync"
	"time"

	"guichet/internal/kernel/invalidate"
)

// busyTTL bounds how long bookings made by another process may go unseen
// in the slots shown here; this process applies its own at once. The
// database, not this cache, is what refuses a double booking.
const busyTTL = 2 * time.Second

// occupancy caches what is busy in each agenda over its booking window,
// kept current by this process's own writes: in a rush, thousands of
// slot pages and booking attempts read it instead of the database.
type occupancy struct {
	mu      sync.Mutex
	agendas map[string]*agendaBusy
}

type agendaBusy struct {
	tenantID string
	from, to time.Time
	busy     Busy  // copy on write: a reader's snapshot never changes
	gen      int64 // counts the snapshots: slots computed on one are kept for it (see memo)
	loaded   time.Time
	version  int64
	log      []busyChange // recent changes, replayed on a snapshot loaded meanwhile
	loading  chan struct{}
	memo     map[slotsKey]*slotsMemo
	// expiry is when the first hold in busy ends (Unix seconds, by the
	// store's clock): the snapshot is stale from then on.
	expiry int64
}

type busyChange struct {
	version int64
	add     bool
	res     string
	iv      Interval
	until   int64 // a hold added: when it ends (Unix seconds); 0 otherwise
}

// noExpiry is the expiry of a snapshot without holds.
const noExpiry = math.MaxInt64

const busyLogSize = 4096

// busyFor returns what is busy in a between from and to, from the cache
// when it covers them.
func (s *Store) busyFor(ctx context.Context, a *Agenda, loc *time.Location, from, to time.Time) (Busy, error) {
	b, _, err := s.busySnapshot(ctx, a, loc, from, to)
	return b, err
}

// busySnapshot is busyFor that also returns the snapshot's generation,
// or 0 when it was read from the database outside the cache.
func (s *Store) busySnapshot(ctx context.Context, a *Agenda, loc *time.Location, from, to time.Time) (Busy, int64, error) {
	now, clock := time.Now(), s.Now() // staleness in real time; the window by the store's clock
	lo := DayOf(clock, loc).AddDays(-1).Time(loc)
	hi := NewCalendar(a, loc, nil).LastDay(clock).AddDays(2).Time(loc)
	if from.Before(lo) || to.After(hi) {
		b, err := s.BusyBetween(ctx, a, from, to)
		return b, 0, err
	}
	for {
		s.occ.mu.Lock()
		if s.occ.agendas == nil {
			s.occ.agendas = map[string]*agendaBusy{}
		}
		e := s.occ.agendas[a.ID]
		if e == nil || e.tenantID != a.TenantID {
			e = &agendaBusy{tenantID: a.TenantID}
			s.occ.agendas[a.ID] = e
		}
		if e.busy != nil && now.Sub(e.loaded) < busyTTL && clock.Unix() < e.expiry && !from.Before(e.from) && !to.After(e.to) {
			b, gen := e.busy, e.gen
			s.occ.mu.Unlock()
			return b, gen, nil
		}
		if wait := e.loading; wait != nil {
			s.occ.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, 0, ctx.Err()
			}
		}
		done := make(chan struct{})
		e.loading = done
		v0 := e.version
		s.occ.mu.Unlock()
		b, expiry, err := s.busyBetween(ctx, a, lo, hi)
		// Bookings claimed before v0 and not committed yet are in neither
		// the database nor the changes replayed: without them, a reload in
		// a rush offered every place being booked as free again. Taken
		// after the read, the claims include all still in flight; those
		// ending meanwhile are in the log, replayed after them.
		flight := s.inFlight(a.TenantID, a.ID)
		s.occ.mu.Lock()
		e.loading = nil
		close(done)
		if err != nil {
			s.occ.mu.Unlock()
			return nil, 0, err
		}
		for _, cl := range flight {
			b = applyChange(b, busyChange{add: true, res: cl.resource, iv: cl.iv})
		}
		complete := len(e.log) == 0 || e.log[0].version <= v0+1 || v0 == 0
		for _, c := range e.log {
			if c.version > v0 {
				b = applyChange(b, c)
				expiry = laterHold(expiry, c)
			}
		}
		e.busy, e.from, e.to, e.loaded, e.expiry = b, lo, hi, now, expiry
		e.gen++
		gen := e.gen
		if !complete {
			e.loaded = time.Time{} // some changes were forgotten: reload next time
		}
		s.occ.mu.Unlock()
		return b, gen, nil
	}
}

// noteBusy applies a committed change of this process to the cache, and
// announces it for the caches of other processes.
func (s *Store) noteBusy(ctx context.Context, b *Booking, add bool) {
	c := busyChange{add: add, res: b.ResourceID, iv: Interval{b.Start.Unix(), b.BusyUntil.Unix()}}
	if add && b.HoldUntil != nil {
		c.until = b.HoldUntil.Unix()
	}
	s.changeBusy(b.TenantID, b.AgendaID, c)
	s.changed(ctx, invalidate.Bookings, b.TenantID, b.AgendaID)
}

// drop forgets the snapshots of agendas that another process booked in:
// this process's own changes are already applied (noteBusy), exactly.
func (o *occupancy) drop(ch invalidate.Change) {
	if !ch.Remote {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for id, e := range o.agendas {
		if ch.Touches(e.tenantID, id) {
			e.loaded = time.Time{} // reloaded, and changes meanwhile replayed, on the next read
		}
	}
}

// dropSlots forgets the slots kept for agendas whose settings changed:
// their keys name the old settings and would never be asked for again.
func (o *occupancy) dropSlots(ch invalidate.Change) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for id, e := range o.agendas {
		if ch.Touches(e.tenantID, id) {
			e.memo = nil
		}
	}
}

// laterHold returns the expiry of a snapshot once c is applied to it.
func laterHold(expiry int64, c busyChange) int64 {
	if c.add && c.until != 0 {
		return min(expiry, c.until)
	}
	return expiry
}

// changeBusy applies c to the cached occupancy of the agenda, if cached.
func (s *Store) changeBusy(tenantID, agendaID string, c busyChange) {
	s.occ.mu.Lock()
	defer s.occ.mu.Unlock()
	e := s.occ.agendas[agendaID]
	if e == nil || e.tenantID != tenantID {
		return
	}
	e.version++
	c.version = e.version
	e.log = append(e.log, c)
	if len(e.log) > busyLogSize {
		e.log = append([]busyChange(nil), e.log[len(e.log)-busyLogSize/2:]...)
	}
	if e.busy != nil {
		e.busy = applyChange(e.busy, c)
		e.expiry = laterHold(e.expiry, c)
		e.gen++
	}
}

// applyChange returns busy with c applied, sharing what did not change.
// Adding an interval already there, or removing one that is not, does
// nothing: a change may be both in a snapshot and replayed on it.
func applyChange(busy Busy, c busyChange) Busy {
	list := busy[c.res]
	i := sort.Search(len(list), func(i int) bool { return list[i].Start >= c.iv.Start })
	present := i < len(list) && list[i] == c.iv
	if present == c.add {
		return busy
	}
	out := make(Busy, len(busy))
	for k, v := range busy {
		out[k] = v
	}
	next := make([]Interval, 0, len(list)+1)
	next = append(next, list[:i]...)
	if c.add {
		next = append(next, c.iv)
		next = append(next, list[i:]...)
	} else {
		next = append(next, list[i+1:]...)
	}
	out[c.res] = next
	return out
}

// knownBusy reports whether this process knows resource busy at some
// point of [start, end): booked or being booked since the caller's
// snapshot was taken, or busy as last loaded. The range of moving (a
// booking being moved) does not count. It never says free for sure: only
// the database does.
func (s *Store) knownBusy(agendaID, resource string, start, end int64, moving *Booking) bool {
	clock := s.Now().Unix()
	s.occ.mu.Lock()
	e := s.occ.agendas[agendaID]
	var list []Interval
	// An old snapshot may miss a cancellation elsewhere, or hold a hold now ended.
	if e != nil && time.Since(e.loaded) < busyTTL && clock < e.expiry {
		list = e.busy[resource]
	}
	s.occ.mu.Unlock()
	var own Interval
	if moving != nil && moving.ResourceID == resource {
		own = Interval{moving.Start.Unix(), moving.BusyUntil.Unix()}
	}
	for i := sort.Search(len(list), func(i int) bool { return list[i].End > start }); i < len(list) && list[i].Start < end; i++ {
		if list[i] != own {
			return true
		}
	}
	return false
}
