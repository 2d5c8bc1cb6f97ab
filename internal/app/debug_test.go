package app

import "testing"

// TestProfilerListensOnLoopbackOnly: the profiler shows the process's
// memory, so an address the network reaches is refused.
func TestProfilerListensOnLoopbackOnly(t *testing.T) {
	for addr, ok := range map[string]bool{"": true, "127.0.0.1:6060": true, "[::1]:6060": true, "localhost:6060": true,
		"0.0.0.0:6060": false, ":6060": false, "192.168.1.10:6060": false, "example.org:6060": false, "6060": false} {
		if err := checkLoopback(addr); (err == nil) != ok {
			t.Errorf("checkLoopback(%q) = %v, want accepted %v", addr, err, ok)
		}
	}
}
