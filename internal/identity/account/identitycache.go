package account

import (
	"sync"
	"time"

	"guichet/internal/kernel/invalidate"
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

// drop forgets the identities a change touches: one session, or every
// session of a user (Key) or of a collectivité. The generation moves on
// either way: a load already under way must not put a dropped one back.
func (c *identityCache) drop(ch invalidate.Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if ch.Kind == invalidate.Session && ch.TenantID != "" && ch.Key != "" {
		delete(c.entries, identityKey(ch.TenantID, ch.Key)) // a sign-in or sign-out: no scan
		return
	}
	for k, e := range c.entries {
		key := e.id.UserID
		if ch.Kind == invalidate.Session {
			key = e.id.SessionID
		}
		if ch.Touches(e.id.TenantID, key) {
			delete(c.entries, k)
		}
	}
}
