package oidcweb

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"time"

	"guichet/internal/identity/oidc"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/web"
)

// Button is one "sign in with…" link offered on the sign-in pages.
type Button struct {
	Provider string // the provider's name
	Path     string // start of the sign-in, with the page to come back to
}

// decorate sets p.Extra["oidcProviders"] on the sign-in and sign-up pages
// when the collectivité has FranceConnect enabled.
func (m *Module) decorate(r *http.Request, p *web.Page) {
	if p.Tenant == nil || p.Tenant.IsPlatform() || p.Identity != nil || !signInPage(r.URL.Path) {
		return
	}
	names, err := m.buttons.enabled(r.Context(), p.Tenant.ID)
	if err != nil {
		m.s.Log().ErrorContext(r.Context(), "oidc: enabled providers", "err", err)
		return
	}
	var out []Button
	for _, n := range names {
		if n != oidc.FranceConnect {
			continue // only FranceConnect has pages so far
		}
		path := StartPath
		if next := web.SafeNext(r.URL.Query().Get("suite"), ""); next != "" {
			path += "?suite=" + url.QueryEscape(next)
		}
		out = append(out, Button{Provider: n, Path: path})
	}
	if len(out) > 0 {
		p.Extra["oidcProviders"] = out
	}
}

func signInPage(path string) bool { return path == "/connexion" || path == "/inscription" }

// buttonCache keeps each collectivité's enabled providers for a minute:
// the decorator runs on every sign-in page render.
type buttonCache struct {
	store *oidc.Store
	mu    sync.Mutex
	byID  map[string]cachedNames
}

type cachedNames struct {
	names []string
	at    time.Time
}

const buttonTTL = time.Minute

func newButtonCache(store *oidc.Store) *buttonCache {
	c := &buttonCache{store: store, byID: map[string]cachedNames{}}
	store.Changes().Register(invalidate.Cache{Name: "oidc-buttons", Holds: []invalidate.Kind{invalidate.OIDCProvider},
		TTL: buttonTTL, Drop: c.drop})
	return c
}

func (c *buttonCache) enabled(ctx context.Context, tenantID string) ([]string, error) {
	c.mu.Lock()
	e, ok := c.byID[tenantID]
	c.mu.Unlock()
	if ok && time.Since(e.at) < buttonTTL {
		return e.names, nil
	}
	names, err := c.store.EnabledNames(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.byID[tenantID] = cachedNames{names: names, at: time.Now()}
	c.mu.Unlock()
	return names, nil
}

// drop forgets the providers of the collectivités a change touches.
func (c *buttonCache) drop(ch invalidate.Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for tenantID := range c.byID {
		if ch.Touches(tenantID, "") {
			delete(c.byID, tenantID)
		}
	}
}
