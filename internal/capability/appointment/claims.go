package appointment

import "sync"

// claims are the units of time this process is booking right now. In a
// rush, a second request for the same units of a resource tries the next
// resource, or loses at once, instead of queueing for the database writer
// only to be refused there. A claimed range also shows as busy in the
// occupancy cache, so that the free times offered meanwhile leave it out.
// The database's primary key on the units still decides between processes.
type claims struct {
	mu        sync.Mutex
	units     map[claimKey]string // → booking id
	byBooking map[string][]claimed
}

type claimKey struct {
	resource string
	unit     int64 // Unix seconds of the unit's start
}

type claimed struct {
	tenantID, agendaID, resource string
	iv                           Interval
}

// claim claims the units of b's range on resource, all or none, and shows
// the range busy in the occupancy cache.
func (s *Store) claim(b *Booking, resource string) bool {
	start, end := b.Start.Unix(), b.BusyUntil.Unix()
	c := &s.busy
	c.mu.Lock()
	if c.units == nil {
		c.units, c.byBooking = map[claimKey]string{}, map[string][]claimed{}
	}
	step := int64(Unit.Seconds())
	for u := start; u < end; u += step {
		if owner, ok := c.units[claimKey{resource, u}]; ok && owner != b.ID {
			c.mu.Unlock()
			return false
		}
	}
	for u := start; u < end; u += step {
		c.units[claimKey{resource, u}] = b.ID
	}
	cl := claimed{tenantID: b.TenantID, agendaID: b.AgendaID, resource: resource, iv: Interval{start, end}}
	c.byBooking[b.ID] = append(c.byBooking[b.ID], cl)
	c.mu.Unlock()
	s.changeBusy(cl.tenantID, cl.agendaID, busyChange{add: true, res: resource, iv: cl.iv})
	return true
}

// unclaim drops b's claims once its transaction has ended. Ranges it did
// not keep (kept is the resource it booked, or "" when the transaction
// failed) are shown free again.
func (s *Store) unclaim(b *Booking, kept string) {
	c := &s.busy
	c.mu.Lock()
	list := c.byBooking[b.ID]
	delete(c.byBooking, b.ID)
	step := int64(Unit.Seconds())
	for _, cl := range list {
		for u := cl.iv.Start; u < cl.iv.End; u += step {
			if c.units[claimKey{cl.resource, u}] == b.ID {
				delete(c.units, claimKey{cl.resource, u})
			}
		}
	}
	c.mu.Unlock()
	for _, cl := range list {
		if cl.resource != kept {
			s.changeBusy(cl.tenantID, cl.agendaID, busyChange{add: false, res: cl.resource, iv: cl.iv})
		}
	}
}

// claimed reports whether b holds its claim on resource.
func (s *Store) claimed(b *Booking, resource string) bool {
	c := &s.busy
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, cl := range c.byBooking[b.ID] {
		if cl.resource == resource && cl.iv == (Interval{b.Start.Unix(), b.BusyUntil.Unix()}) {
			return true
		}
	}
	return false
}

// claimFirst claims b's range on the first resource of res not known to
// be busy, before any transaction: the losers of a rush learn it without
// waiting for the database's writer. It returns res from the claimed
// resource on, or nil when every one is taken.
func (s *Store) claimFirst(b *Booking, res []Resource, moving *Booking) []Resource {
	start, end := b.Start.Unix(), b.BusyUntil.Unix()
	for i, r := range res {
		if !s.knownBusy(b.AgendaID, r.ID, start, end, moving) && s.claim(b, r.ID) {
			return res[i:]
		}
	}
	return nil
}

// inFlight returns the ranges claimed in the agenda right now, by bookings
// between their claim and the end of their transaction: a snapshot of the
// occupancy read from the database meanwhile lacks them.
func (s *Store) inFlight(tenantID, agendaID string) []claimed {
	c := &s.busy
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []claimed
	for _, list := range c.byBooking {
		for _, cl := range list {
			if cl.agendaID == agendaID && cl.tenantID == tenantID {
				out = append(out, cl)
			}
		}
	}
	return out
}
