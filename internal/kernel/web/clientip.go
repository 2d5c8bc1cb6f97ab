package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the reverse proxies (nginx, a load balancer) whose
// X-Forwarded-For header is believed. Without them, a request comes from
// its connection's address; behind an unlisted proxy, every visitor would
// share the proxy's address and its rate limits.
type Proxies []netip.Prefix

// ParseProxies reads a comma-separated list of addresses and CIDR ranges,
// for example "127.0.0.1, 10.0.0.0/8, ::1".
func ParseProxies(s string) (Proxies, error) {
	var out Proxies
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("trusted proxy %q: not an address or a CIDR range", f)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: not an address or a CIDR range", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func (p Proxies) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, pr := range p {
		if pr.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddr returns the address of the person behind r: the connection's,
// or, when that is a trusted proxy, the last address in X-Forwarded-For
// that is not one. Addresses before it may have been written by the client
// and are never believed.
func (p Proxies) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	// One person, one key: an IPv4 peer seen through a dual-stack socket
	// (::ffff:a.b.c.d) is the same as a.b.c.d to limits and the audit trail.
	addr = addr.Unmap()
	if !p.trusts(addr) {
		return addr.String()
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a malformed entry: nothing before it can be believed
		}
		addr = hop.Unmap()
		if !p.trusts(addr) {
			break
		}
	}
	return addr.String()
}

type clientIPKey struct{}

// withClientIP records the request's client address for ClientIP. With no
// proxy listed there is nothing to record: ClientIP reads the connection.
func (p Proxies) withClientIP(next http.Handler) http.Handler {
	if len(p) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientIPKey{}, p.clientAddr(r))))
	})
}

// ClientIP returns the address of the person behind the request, through
// the trusted proxies (see Proxies): what rate limits, the audit trail and
// the metrics' loopback check go by.
func ClientIP(r *http.Request) string {
	if ip, ok := r.Context().Value(clientIPKey{}).(string); ok {
		return ip
	}
	return Proxies(nil).clientAddr(r)
}
