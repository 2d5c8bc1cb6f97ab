package contentweb

import (
	"strings"
	"sync"
	"time"

	"guichet/internal/kernel/invalidate"
)

// cache keeps, per collectivité, what every page or the home page shows
// (active alerts, latest news, next events) for a few seconds: the banner
// would otherwise cost a query on every page. A write through the store
// drops the entry at once; other servers of a cluster see it within ttl.
type cache struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]cacheEntry
}

type cacheEntry struct {
	at    time.Time
	value any
}

func newCache(ttl time.Duration) *cache { return &cache{ttl: ttl, entries: map[string]cacheEntry{}} }

// get returns the value of key, computing it with load when absent or old.
func (c *cache) get(key string, load func() (any, error)) (any, error) {
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && time.Since(e.at) < c.ttl {
		return e.value, nil
	}
	v, err := load()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.entries[key] = cacheEntry{at: time.Now(), value: v}
	c.mu.Unlock()
	return v, nil
}

// drop forgets the entries of the collectivité a change touches (its
// content, or its settings: dates are shown in its time zone).
func (c *cache) drop(ch invalidate.Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.entries {
		tenantID, _, _ := strings.Cut(k, "/")
		if ch.Touches(tenantID, "") {
			delete(c.entries, k)
		}
	}
}

// disable makes every get load afresh (tests counting queries).
func (c *cache) disable() { c.ttl = 0 }
