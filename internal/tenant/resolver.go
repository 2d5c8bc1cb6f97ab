package tenant

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"
)

// Resolver chooses the tenant of a request from its Host: "<slug>.<base
// domain>", a registered custom host, or the bare base domain for the
// platform. Answers are cached briefly so that a page costs no tenant query.
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

// NewResolver returns a Resolver for tenants under baseDomain (e.g. "localhost").
func NewResolver(store *Store, baseDomain string) *Resolver {
	return &Resolver{store: store, base: NormalizeHost(baseDomain), ttl: 10 * time.Second, cache: map[string]cached{}}
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

// Forget empties the cache after a tenant changed.
func (r *Resolver) Forget() {
	r.mu.Lock()
	r.cache = map[string]cached{}
	r.mu.Unlock()
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
