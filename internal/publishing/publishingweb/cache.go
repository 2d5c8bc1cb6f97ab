package publishingweb

import (
	"sync"
	"time"

	"guichet/internal/kernel/invalidate"
)

// Cache keeps, per collectivité, what every page or the home page shows
// of a capability (active alerts, latest news, next events) for a few
// seconds: the banner would otherwise cost a query on every page. A write
// through the store drops the collectivité's entries at once; other
// servers of a cluster see it within ttl.
type Cache struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[cacheKey]cacheEntry
}

// cacheKey is a collectivité and what of it an entry holds; a struct, not
// a joined string, so that a lookup allocates nothing.
type cacheKey struct{ tenantID, name string }

type cacheEntry struct {
	at    time.Time
	value any
}

// NewCache returns an empty cache whose entries live ttl, registered as
// name on changes: a change to a collectivité's content or settings drops
// its entries.
func NewCache(name string, ttl time.Duration, changes *invalidate.Bus) *Cache {
	c := &Cache{ttl: ttl, entries: map[cacheKey]cacheEntry{}}
	changes.Register(invalidate.Cache{Name: name, TTL: ttl, Holds: []invalidate.Kind{invalidate.Content, invalidate.Tenant}, Drop: c.Drop})
	return c
}

// Get returns the collectivité's value named key, computing it with load
// when absent or old.
func (c *Cache) Get(tenantID, name string, load func() (any, error)) (any, error) {
	key := cacheKey{tenantID, name}
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

// Drop forgets the entries of the collectivité a change touches (its
// content, or its settings: dates are shown in its time zone).
func (c *Cache) Drop(ch invalidate.Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.entries {
		if ch.Touches(k.tenantID, "") {
			delete(c.entries, k)
		}
	}
}

// Disable makes every get load afresh (tests counting queries).
func (c *Cache) Disable() { c.ttl = 0 }

// HomeEntry names the entry of a home-page block in lang without building
// the name on every request.
func HomeEntry(lang string) string {
	if lang == "en" {
		return "home/en"
	}
	return "home/fr"
}
