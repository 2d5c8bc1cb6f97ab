package account

import (
	"sync"
	"time"
)

// identityTTL bounds how long a resident's session is served from memory.
// A sign-out, password or profile change made through this process applies
// at once; one made through another Guichet process sharing the database
// applies within this delay.
const identityTTL = 2 * time.Second

// maxCachedIdentities bounds memory; the cache starts over when full.
const maxCachedIdentities = 100_000

// identityCache keeps residents' loaded sessions for a moment: in a rush
// each resident sends several requests within seconds, and each would
// otherwise read the session again. Staff sessions are never cached: their
// roles are managed elsewhere and must apply at once.
type identityCache struct {
	mu      sync.Mutex
	gen     uint64 // bumped by every change to users or sessions
	entries map[string]cachedIdentity
}

type cachedIdentity struct {
	id                 Identity
	idleUntil, expires time.Time
	loaded             time.Time
}

func identityKey(tenantID, sessionID string) string { return tenantID + "/" + sessionID }

// get returns a copy of the cached identity, if fresh and still live at now.
func (c *identityCache) get(tenantID, sessionID string, now time.Time) (*Identity, bool) {
	c.mu.Lock()
	e, ok := c.entries[identityKey(tenantID, sessionID)]
	c.mu.Unlock()
	if !ok || now.Before(e.loaded) || now.Sub(e.loaded) > identityTTL ||
		!now.Before(e.expires) || !now.Before(e.idleUntil) {
		return nil, false
	}
	id := e.id
	return &id, true
}

// generation returns the current generation, read before loading.
func (c *identityCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps e unless users or sessions changed since gen was read: the
// loaded row may predate that change.
func (c *identityCache) put(gen uint64, e cachedIdentity) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.entries == nil || len(c.entries) >= maxCachedIdentities {
		c.entries = map[string]cachedIdentity{}
	}
	c.entries[identityKey(e.id.TenantID, e.id.SessionID)] = e
}

// forget drops every cached identity; writes are rare next to reads.
func (c *identityCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.entries = nil
}

// forgetSession drops one session, ended or replaced through this process.
// The generation still moves on: a load of it already under way must not
// put it back.
func (c *identityCache) forgetSession(tenantID, sessionID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.entries, identityKey(tenantID, sessionID))
}
