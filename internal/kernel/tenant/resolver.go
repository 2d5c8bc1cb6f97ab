package tenant

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"guichet/internal/kernel/invalidate"
)

// Resolver chooses the tenant of a request from its Host: "<slug>.<base
// domain>", a registered custom host, or the bare base domain for the
// platform. Answers are cached briefly so that a page costs no tenant query;
// a change announced on the store's seam drops them at once.
type Resolver struct {
	store *Store
	base  string
	ttl   time.Duration

	mu    sync.Mutex
	cache map[string]cached
}

type cached struct {
	t       *Tenant
	expires time.Time
}

// resolverTTL bounds how long another process's change to a tenant may go unseen.
const resolverTTL = 10 * time.Second

// NewResolver returns a Resolver for tenants under baseDomain (e.g.
// "localhost"), told of changes through the store's seam.
func NewResolver(store *Store, baseDomain string) *Resolver {
	r := &Resolver{store: store, base: NormalizeHost(baseDomain), ttl: resolverTTL, cache: map[string]cached{}}
	if store == nil { // building links only
		return r
	}
	store.Changes().Register(invalidate.Cache{Name: "tenant-resolver", Holds: []invalidate.Kind{invalidate.Tenant},
		TTL: resolverTTL, Drop: r.drop})
	return r
}

// BaseDomain returns the domain under which tenants answer as subdomains.
func (r *Resolver) BaseDomain() string { return r.base }

// Resolve returns the tenant for host, or ErrNotFound. Suspended tenants
// are returned too: the caller decides what to show.
func (r *Resolver) Resolve(ctx context.Context, host string) (*Tenant, error) {
	if _, _, ok := SplitHostPort(strings.TrimSpace(host)); !ok {
		return nil, ErrNotFound // a malformed port must never reach a link
	}
	host = NormalizeHost(host)
	r.mu.Lock()
	c, ok := r.cache[host]
	r.mu.Unlock()
	if ok && time.Now().Before(c.expires) {
		if c.t == nil {
			return nil, ErrNotFound
		}
		return c.t, nil
	}
	t, err := r.lookup(ctx, host)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	r.mu.Lock()
	if len(r.cache) > 10000 { // bound the memory spent on random hosts
		r.cache = map[string]cached{}
	}
	r.cache[host] = cached{t: t, expires: time.Now().Add(r.ttl)}
	r.mu.Unlock()
	return t, err
}

func (r *Resolver) lookup(ctx context.Context, host string) (*Tenant, error) {
	if host == r.base {
		return r.store.Get(ctx, PlatformID)
	}
	if slug, ok := strings.CutSuffix(host, "."+r.base); ok && !strings.Contains(slug, ".") {
		t, err := r.store.BySlug(ctx, slug)
		if err == nil && t.IsPlatform() {
			return nil, ErrNotFound
		}
		if err == nil || !errors.Is(err, ErrNotFound) {
			return t, err
		}
	}
	return r.store.ByHost(ctx, host)
}

// drop forgets the hosts of the changed tenant, and the hosts known as
// unknown: one of them may be the tenant's new name.
func (r *Resolver) drop(c invalidate.Change) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for host, e := range r.cache {
		if e.t == nil || c.TenantID == "" || e.t.ID == c.TenantID {
			delete(r.cache, host)
		}
	}
}

// URL returns the address of t's site, for links and emails; a port that
// is not a number from 1 to 65535 is left out.
func (r *Resolver) URL(t *Tenant, scheme, port string) string {
	host := t.Slug + "." + r.base
	if t.IsPlatform() {
		host = r.base
	}
	if len(t.Hosts) > 0 && !t.IsPlatform() {
		host = t.Hosts[0]
	}
	if _, p, ok := SplitHostPort(":" + port); ok && p != "" && p != "80" && p != "443" {
		host += ":" + p
	}
	return scheme + "://" + host
}
