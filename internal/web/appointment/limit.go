package appointmentweb

import (
	"net/http"

	"guichet"
	"guichet/internal/account"

	"guichet/internal/web"
)

// errTooMany is what a client over its booking allowance gets.
var errTooMany = guichet.Errorf(guichet.ERateLimited,
	"Trop de tentatives de réservation : réessayez dans quelques minutes.")

// allow counts one booking attempt against the person (when signed in)
// and the client's address, and refuses it over either allowance.
func (m *Module) allow(r *http.Request) error {
	addr := m.clientAddr(r)
	keys := []struct {
		l   *account.Limiter
		key string
	}{{m.addr, "a:" + addr}}
	if id := account.FromContext(r.Context()); id != nil {
		keys = append(keys, struct {
			l   *account.Limiter
			key string
		}{m.person, "u:" + id.TenantID + ":" + id.UserID})
	}
	for _, k := range keys {
		if !k.l.Allow(k.key) {
			return errTooMany
		}
	}
	for _, k := range keys {
		k.l.Fail(k.key)
	}
	return nil
}

func (m *Module) clientAddr(r *http.Request) string {
	if h := m.opts.ClientKeyHeader; h != "" {
		if v := r.Header.Get(h); v != "" {
			return v
		}
	}
	return web.ClientIP(r)
}
