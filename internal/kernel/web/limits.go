package web

import (
	"context"
	"net/http"
	"net/netip"
	"strings"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/tenant"
)

// ClientKey returns the client's address as abuse limits count it: an
// IPv4 address, or the /64 prefix of an IPv6 address, since one household
// or one phone is given a whole /64 and can change the last 64 bits at will.
func ClientKey(r *http.Request) string {
	if k, ok := r.Context().Value(clientKeyKey{}).(string); ok {
		return k
	}
	return addressKey(ClientIP(r))
}

// addressKey reduces an address to its IPv4 form or its IPv6 /64.
func addressKey(s string) string {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return s
	}
	a = a.WithZone("").Unmap()
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}

type clientKeyKey struct{}

// TrustClientKeyHeader makes limits take the client's address from the
// request header h. Tests and benchmarks only, to tell many clients of
// one loopback address apart; call it before Handler.
func (s *Server) TrustClientKeyHeader(h string) { s.clientKeyHeader = h }

func (s *Server) withClientKeyHeader(next http.Handler) http.Handler {
	h := s.clientKeyHeader
	if h == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v := r.Header.Get(h); v != "" {
			r = r.WithContext(context.WithValue(r.Context(), clientKeyKey{}, addressKey(v)))
		}
		next.ServeHTTP(w, r)
	})
}

// Attempt describes the request's client for the abuse limits: its
// collectivité, its address key, its account when signed in, and email,
// the address the action mails when a visitor typed it; Known when the
// client is that address's signed-in owner or a browser it signed in from.
func (s *Server) Attempt(r *http.Request, email string) abuse.Attempt {
	at := abuse.Attempt{Address: ClientKey(r), Email: email, Known: s.knownDevice(r, email)}
	if t := tenant.FromContext(r.Context()); t != nil {
		at.TenantID = t.ID
	}
	if id := account.FromContext(r.Context()); id != nil {
		at.Account = id.TenantID + "/" + id.UserID
	}
	return at
}

// Limit counts one attempt at a by the request's client and returns an
// error (429, with Retry-After) when it is over one of a's limits.
func (s *Server) Limit(r *http.Request, a abuse.Action, email string) error {
	return s.Limits.Take(r.Context(), a, s.Attempt(r, email))
}
