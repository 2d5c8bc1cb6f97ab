package web

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// FuzzLangOf checks the language read from the "lang" cookie: always one
// of the languages pages are prepared in, under its exact name.
func FuzzLangOf(f *testing.F) {
	for _, s := range []string{"fr", "en", "EN", "Fr", "de", "", "en-GB", "fr;en", "\"en\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Cookie", LangCookie+"="+value)
		lang := LangOf(r)
		if !slices.Contains(Languages, lang) {
			t.Fatalf("cookie %q gives language %q", value, lang)
		}
		if c, err := r.Cookie(LangCookie); err == nil && strings.EqualFold(c.Value, "en") && lang != "en" {
			t.Fatalf("cookie %q gives language %q", value, lang)
		}
	})
}

// FuzzClientAddr checks the visitor's address read through trusted
// proxies from X-Forwarded-For: the connection's address unless that is a
// trusted proxy; else an entry of the header after which every entry is a
// trusted proxy, never one a visitor could have written before them.
func FuzzClientAddr(f *testing.F) {
	f.Add("127.0.0.1:5000", "1.1.1.1, 198.51.100.1", "")
	f.Add("[::1]:5000", "2001:db8::7", "10.0.0.7, 10.1.2.3")
	f.Add("203.0.113.5:4000", "198.51.100.1", "")
	f.Add("127.0.0.1:5000", "198.51.100.1, nonsense", "::ffff:10.0.0.1")
	f.Add("[::ffff:10.0.0.1]:5000", " 198.51.100.1 ,", "")
	f.Add("not an address", "1.2.3.4", "")
	f.Add("[::fffF:10.0.0.0]:", "0", "")     // a trusted proxy seen mapped, and nothing believable behind it
	f.Add("[::ffff:203.0.113.9]:80", "", "") // a resident seen mapped: the same key as 203.0.113.9
	proxies, err := ParseProxies("127.0.0.1, 10.0.0.0/8, ::1")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, remote, forwarded, forwarded2 string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = remote
		r.Header.Add("X-Forwarded-For", forwarded)
		if forwarded2 != "" {
			r.Header.Add("X-Forwarded-For", forwarded2)
		}
		got := proxies.clientAddr(r)
		conn, _, err := net.SplitHostPort(remote)
		if err != nil {
			conn = remote
		}
		connAddr, err := netip.ParseAddr(conn)
		if err != nil {
			if got != conn {
				t.Fatalf("from %q (not an address): %q", remote, got)
			}
			return
		}
		if !proxies.trusts(connAddr) {
			if got != connAddr.Unmap().String() {
				t.Fatalf("from %q (not a proxy): %q", remote, got)
			}
			return
		}
		if got == connAddr.Unmap().String() {
			return
		}
		hops := strings.Split(forwarded+","+forwarded2, ",")
		if forwarded2 == "" {
			hops = strings.Split(forwarded, ",")
		}
		for i := len(hops) - 1; i >= 0; i-- {
			a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break
			}
			if a.Unmap().String() == got {
				return
			}
			if !proxies.trusts(a) {
				break
			}
		}
		t.Fatalf("from %q through %q and %q: %q, which no trusted hop vouches for", remote, forwarded, forwarded2, got)
	})
}
