package web_test

import (
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

// SiteURL keeps the Host's port only when it is a port number, even for a
// request that did not go through the resolver.
func TestSiteURLKeepsOnlyAValidPort(t *testing.T) {
	t.Parallel()
	log := slog.New(slog.DiscardHandler)
	s := web.NewServer(log, web.NewRenderer(log), tenant.NewResolver(nil, "localhost"), web.NewMetrics(prometheus.NewRegistry()), false)
	town := &tenant.Tenant{ID: "t1", Slug: "montclair"}
	for host, want := range map[string]string{
		"montclair.localhost:8080":           "http://montclair.localhost:8080",
		"montclair.localhost":                "http://montclair.localhost",
		"montclair.localhost:1,evil.example": "http://montclair.localhost",
		"montclair.localhost:99999":          "http://montclair.localhost",
		"montclair.localhost:80/evil":        "http://montclair.localhost",
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = host
		if got := s.SiteURL(r, town); got != want {
			t.Errorf("Host %q: SiteURL = %q, want %q", host, got, want)
		}
	}
}
