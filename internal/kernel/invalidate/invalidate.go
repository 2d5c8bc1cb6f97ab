// Package invalidate is the one seam between the code that changes data
// and the in-process caches that keep copies of it. Each cache registers
// what it holds; a writer announces a change once, after it committed, and
// every cache holding that kind of data drops what the change touches.
//
// Announcements are delivered in this process; on PostgreSQL a relay
// (internal/kernel/cluster) carries them to the other nodes sharing the
// database. Without one, each cache's lifetime bounds how long another
// process's change may go unseen.
package invalidate

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Kind names a kind of data that caches copy.
type Kind string

// The kinds of data cached today.
const (
	// Tenant is a collectivité's settings, host names, status or logo.
	Tenant Kind = "tenant"
	// Accounts is residents' accounts; a change drops their cached sessions.
	Accounts Kind = "accounts"
	// Session is one session; Key is its id.
	Session Kind = "session"
	// Agenda is an agenda's settings, resources, types, hours or
	// exceptions; Key is the agenda's id ("" for all of the collectivité's).
	Agenda Kind = "agenda"
	// Bookings is what is busy in an agenda; Key is the agenda's id.
	Bookings Kind = "bookings"
	// Content is what the public pages show: news, events, pages, alerts.
	Content Kind = "content"
	// A11yAudit is a collectivité's accessibility audits.
	A11yAudit Kind = "a11y-audit"
	// OIDCProvider is a collectivité's sign-in providers; Key is the issuer.
	OIDCProvider Kind = "oidc-provider"
	// Procedure is a collectivité's procedures: their settings, forms and
	// publication (not the cases filed).
	Procedure Kind = "procedure"
	// Territory is a collectivité's cadastre, urban plan and addresses,
	// and its zones' regulations.
	Territory Kind = "territory"
	// Network is a collectivité's ties between organisations.
	Network Kind = "network"
	// Directory is a collectivité's directory entries and who manages
	// them.
	Directory Kind = "directory"
)

// Kinds lists every kind, for a change that touches them all (a
// collectivité restored from a backup).
var Kinds = []Kind{Tenant, Accounts, Session, Agenda, Bookings, Content, A11yAudit, OIDCProvider, Procedure, Territory, Network, Directory}

// Change says that data of one kind changed.
type Change struct {
	Kind Kind
	// TenantID is the collectivité whose data changed; "" means every one.
	TenantID string
	// Key narrows the change to one record (see each Kind); "" means all
	// of the kind in the collectivité.
	Key string
	// Remote is set on a change announced by another process: caches that
	// apply this process's own changes in place (occupancy) drop on these.
	Remote bool
}

// Touches reports whether the change reaches an entry of tenantID and key;
// an entry without key holds all of the kind in its collectivité.
func (c Change) Touches(tenantID, key string) bool {
	return (c.TenantID == "" || c.TenantID == tenantID) && (c.Key == "" || key == "" || c.Key == key)
}

// Cache is an in-process cache as the seam knows it.
type Cache struct {
	// Name identifies the cache, as docs/ARCHITECTURE.md lists it.
	Name string
	// Holds lists the kinds of data the cache copies.
	Holds []Kind
	// TTL is the entries' lifetime: how long a change announced in another
	// process may go unseen until a relay carries it.
	TTL time.Duration
	// Drop forgets what c touches. It runs on the announcer's goroutine
	// and must not block.
	Drop func(c Change)
}

// Announcer is what a writer needs: one call after a committed change.
type Announcer interface {
	Changed(ctx context.Context, c Change)
}

// Relay carries this process's announcements to the other nodes.
type Relay interface {
	Send(ctx context.Context, c Change)
}

// Bus delivers announcements to the caches registered on it.
type Bus struct {
	mu     sync.RWMutex
	caches map[string]Cache
	byKind map[Kind][]func(Change)
	relay  Relay
}

// New returns a Bus without caches or relay.
func New() *Bus { return &Bus{caches: map[string]Cache{}, byKind: map[Kind][]func(Change){}} }

// Register adds c; registering a name again replaces the earlier cache,
// so that a store moved onto a shared bus keeps one registration.
func (b *Bus) Register(c Cache) {
	if c.Name == "" || c.Drop == nil || len(c.Holds) == 0 {
		panic("invalidate: a cache needs a name, what it holds and a drop function")
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.caches[c.Name] = c
	b.byKind = map[Kind][]func(Change){}
	for _, name := range b.names() {
		for _, k := range b.caches[name].Holds {
			b.byKind[k] = append(b.byKind[k], b.caches[name].Drop)
		}
	}
}

// SetRelay sends every later announcement to r as well.
func (b *Bus) SetRelay(r Relay) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.relay = r
}

// Changed tells the relay if any, then every cache holding c.Kind: the
// relay first, so that the caches reload from a read replica only once
// it holds the change (see db.NeedLSN).
func (b *Bus) Changed(ctx context.Context, c Change) {
	c.Remote = false
	b.mu.RLock()
	r := b.relay
	b.mu.RUnlock()
	if r != nil {
		r.Send(ctx, c)
	}
	b.deliver(c)
}

// Receive delivers a change that another process announced.
func (b *Bus) Receive(c Change) {
	c.Remote = true
	b.deliver(c)
}

func (b *Bus) deliver(c Change) {
	b.mu.RLock()
	drops := b.byKind[c.Kind]
	b.mu.RUnlock()
	for _, drop := range drops {
		drop(c)
	}
}

// DropAll empties every cache, as after changes that may have gone
// unheard (a relay that lost its connection).
func (b *Bus) DropAll() {
	b.mu.RLock()
	kinds := make([]Kind, 0, len(b.byKind))
	for k := range b.byKind {
		kinds = append(kinds, k)
	}
	b.mu.RUnlock()
	for _, k := range kinds {
		b.Receive(Change{Kind: k})
	}
}

// Caches returns the registered caches, by name.
func (b *Bus) Caches() []Cache {
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := make([]Cache, 0, len(b.caches))
	for _, name := range b.names() {
		out = append(out, b.caches[name])
	}
	return out
}

func (b *Bus) names() []string {
	names := make([]string, 0, len(b.caches))
	for name := range b.caches {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
