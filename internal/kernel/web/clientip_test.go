package web

import (
	"net/http/httptest"
	"testing"
)

func TestClientAddressThroughTrustedProxies(t *testing.T) {
	t.Parallel()
	proxies, err := ParseProxies(" 127.0.0.1, 10.0.0.0/8 ,::1")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, remote string
		forwarded    []string
		proxies      Proxies
		want         string
	}{
		{"no proxy configured: the header is ignored", "203.0.113.5:4000", []string{"198.51.100.1"}, nil, "203.0.113.5"},
		{"not from a proxy: the header is ignored", "203.0.113.5:4000", []string{"198.51.100.1"}, proxies, "203.0.113.5"},
		{"one trusted proxy", "127.0.0.1:5000", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
		{"a made-up first entry is skipped", "127.0.0.1:5000", []string{"1.1.1.1, 198.51.100.1"}, proxies, "198.51.100.1"},
		{"two trusted hops", "127.0.0.1:5000", []string{"198.51.100.1, 10.1.2.3"}, proxies, "198.51.100.1"},
		{"several header lines", "127.0.0.1:5000", []string{"1.1.1.1", "198.51.100.1, 10.1.2.3"}, proxies, "198.51.100.1"},
		{"only proxies: the first of them", "127.0.0.1:5000", []string{"10.0.0.7, 10.1.2.3"}, proxies, "10.0.0.7"},
		{"a malformed last entry: the proxy itself", "127.0.0.1:5000", []string{"198.51.100.1, nonsense"}, proxies, "127.0.0.1"},
		{"no header from a proxy", "127.0.0.1:5000", nil, proxies, "127.0.0.1"},
		{"IPv6 proxy and client", "[::1]:5000", []string{"2001:db8::7"}, proxies, "2001:db8::7"},
		{"IPv4-mapped proxy", "[::ffff:10.0.0.1]:5000", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
		{"IPv4-mapped proxy, nothing believable behind it", "[::ffff:10.0.0.1]:5000", []string{"0"}, proxies, "10.0.0.1"},
		{"IPv4-mapped resident, no proxy", "[::ffff:203.0.113.9]:80", nil, nil, "203.0.113.9"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		for _, v := range c.forwarded {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := c.proxies.clientAddr(r); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	for _, bad := range []string{"localhost", "10.0.0.0/33", "1.2.3"} {
		if _, err := ParseProxies(bad); err == nil {
			t.Errorf("%q accepted as a proxy", bad)
		}
	}
}
