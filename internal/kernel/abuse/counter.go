package abuse

import (
	"guichet/internal/kernel/clock"
	"sync"
	"time"
)

// Counter counts events per key (an address, an email) in fixed windows,
// in memory. Its map is bounded so that a flood of distinct keys cannot
// exhaust memory.
type Counter struct {
	mu       sync.Mutex
	max      int
	window   time.Duration
	capacity int
	entries  map[string]window // by value: counting allocates nothing but the map's growth
	// Now is the clock; tests move it forward.
	Now func() time.Time
}

// window is one key's count since start.
type window struct {
	start  time.Time
	count  int
	logged bool // a refusal of this window was already recorded
}

// NewCounter allows max events per key within every window of the given
// length, remembering at most capacity keys.
func NewCounter(max int, length time.Duration, capacity int) *Counter {
	return &Counter{max: max, window: length, capacity: capacity, entries: map[string]window{}, Now: clock.System}
}

// Allow reports whether key may act again.
func (c *Counter) Allow(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	ok, _ := c.allow(key, c.Now())
	return ok
}

// Fail counts one event for key (a failed sign-in, a message sent).
func (c *Counter) Fail(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hit(key, c.Now())
}

// Reset forgets key's events (after a successful sign-in).
func (c *Counter) Reset(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, key)
}

// Len returns how many keys are remembered.
func (c *Counter) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// allow reports whether key is under its maximum at now and, when it is
// not, how long until its window ends. The caller holds mu.
func (c *Counter) allow(key string, now time.Time) (bool, time.Duration) {
	e, ok := c.entries[key]
	if !ok || now.Sub(e.start) >= c.window || e.count < c.max {
		return true, 0
	}
	return false, e.start.Add(c.window).Sub(now)
}

// hit counts one event for key at now. The caller holds mu.
func (c *Counter) hit(key string, now time.Time) {
	e, ok := c.entries[key]
	if !ok || now.Sub(e.start) >= c.window {
		if !ok && len(c.entries) >= c.capacity {
			c.evict(now)
		}
		e = window{start: now}
	}
	e.count++
	c.entries[key] = e
}

// firstRefusal reports whether this is the first refusal of key's current
// window, and marks it: one record per key and window, so that a flood
// does not become a flood of writes. The caller holds mu.
func (c *Counter) firstRefusal(key string) bool {
	e, ok := c.entries[key]
	if !ok || e.logged {
		return false
	}
	e.logged = true
	c.entries[key] = e
	return true
}

// evict drops finished windows, and if the map is still full, an
// arbitrary tenth of it: bounded memory matters more than exact counts.
func (c *Counter) evict(now time.Time) {
	for k, e := range c.entries {
		if now.Sub(e.start) >= c.window {
			delete(c.entries, k)
		}
	}
	drop := len(c.entries) - c.capacity + c.capacity/10 + 1
	for k := range c.entries {
		if drop <= 0 {
			break
		}
		delete(c.entries, k)
		drop--
	}
}
