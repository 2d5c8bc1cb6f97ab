package appointment

import "sync"

// claims are the units of time this process is booking right now. In a
// rush, a second request for the same units of a resource tries the next
// resource, or loses at once, instead of queueing for the database writer
// only to be refused there. The database's primary key on the units still
// decides between processes.
type claims struct {
	mu        sync.Mutex
	units     map[claimKey]string // → booking id
	byBooking map[string][]claimKey
}

type claimKey struct {
	resource string
	unit     int64 // Unix seconds of the unit's start
}

// take claims the units [start, end) of resource for booking, all or none.
func (c *claims) take(booking, resource string, start, end int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.units == nil {
		c.units, c.byBooking = map[claimKey]string{}, map[string][]claimKey{}
	}
	step := int64(Unit.Seconds())
	for u := start; u < end; u += step {
		if owner, ok := c.units[claimKey{resource, u}]; ok && owner != booking {
			return false
		}
	}
	for u := start; u < end; u += step {
		k := claimKey{resource, u}
		if _, ok := c.units[k]; !ok {
			c.units[k] = booking
			c.byBooking[booking] = append(c.byBooking[booking], k)
		}
	}
	return true
}

// release drops every claim of booking: its transaction has ended and, if
// it committed, the occupancy cache already shows its units busy.
func (c *claims) release(booking string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range c.byBooking[booking] {
		delete(c.units, k)
	}
	delete(c.byBooking, booking)
}
