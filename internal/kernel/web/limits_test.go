package web

import (
	"net/http/httptest"
	"testing"
)

func TestClientKeyIsTheIPv4AddressOrTheIPv6Slash64(t *testing.T) {
	t.Parallel()
	for remote, want := range map[string]string{
		"203.0.113.5:4000":                        "203.0.113.5",
		"[::ffff:203.0.113.5]:4000":               "203.0.113.5",
		"[2001:db8:1:2::1]:4000":                  "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff:ffff:ffff:ffff]:4000": "2001:db8:1:2::/64",
		"[2001:db8:1:2:a:b:c:d%eth0]:4000":        "2001:db8:1:2::/64",
		"[2001:db8:1:3:0:0:0:1]:4000":             "2001:db8:1:3::/64",
		"[fe80::1]:4000":                          "fe80::/64",
		"not-an-address":                          "not-an-address",
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = remote
		if got := ClientKey(r); got != want {
			t.Errorf("ClientKey(%s) = %q, want %q", remote, got, want)
		}
	}
}
