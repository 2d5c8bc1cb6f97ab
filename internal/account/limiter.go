package account

import (
	"sync"
	"time"
)

// Limiter counts failures per key (an email, an IP address) in fixed
// windows, in memory. Its map is bounded so that a flood of distinct keys
// cannot exhaust memory.
type Limiter struct {
	mu       sync.Mutex
	max      int
	window   time.Duration
	capacity int
	entries  map[string]*limitWindow
	// Now is the clock; tests move it forward.
	Now func() time.Time
}

type limitWindow struct {
	start    time.Time
	failures int
}

// NewLimiter allows max failures per key within window, remembering at
// most capacity keys.
func NewLimiter(max int, window time.Duration, capacity int) *Limiter {
	return &Limiter{max: max, window: window, capacity: capacity, entries: map[string]*limitWindow{},
		Now: time.Now}
}

// Allow reports whether key may try again.
func (l *Limiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.entries[key]
	return e == nil || l.Now().Sub(e.start) >= l.window || e.failures < l.max
}

// Fail records a failure for key.
func (l *Limiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	e := l.entries[key]
	if e == nil || now.Sub(e.start) >= l.window {
		if e == nil && len(l.entries) >= l.capacity {
			l.evict(now)
		}
		e = &limitWindow{start: now}
		l.entries[key] = e
	}
	e.failures++
}

// Reset forgets key's failures (after a successful sign-in).
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, key)
}

// evict drops finished windows, and if the map is still full, an
// arbitrary tenth of it: bounded memory matters more than exact counts.
func (l *Limiter) evict(now time.Time) {
	for k, e := range l.entries {
		if now.Sub(e.start) >= l.window {
			delete(l.entries, k)
		}
	}
	drop := len(l.entries) - l.capacity + l.capacity/10 + 1
	for k := range l.entries {
		if drop <= 0 {
			break
		}
		delete(l.entries, k)
		drop--
	}
}

// Len returns how many keys are remembered.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries)
}
