package appointmentweb_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"guichet/internal/apptest"
)

// benchPage measures one signed-out GET of the demo town through the
// whole middleware stack, without the network, next to a bare net/http
// hello world measured in the same run (ratio = hello ns / page ns).
func benchPage(b *testing.B, path string) {
	e := apptest.New(b, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"), apptest.WithDemoData())
	h := e.App.Web.Handler()
	req := httptest.NewRequest("GET", "http://montclair.localhost"+path, nil)
	req.RemoteAddr = "127.0.0.1:40000"
	var size int
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: status %d", path, rec.Code)
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size), "bytes")
}

// BenchmarkServicesPage is /rendez-vous, the list of appointment services.
func BenchmarkServicesPage(b *testing.B) { benchPage(b, "/rendez-vous") }

// BenchmarkSlotsPage is the time-choosing page: the first week with free
// times of the demo's passport agenda (60-day window, two stations).
func BenchmarkSlotsPage(b *testing.B) { benchPage(b, "/rendez-vous/passeports-cni/passeport-cni") }

// BenchmarkFreeTimesAPI is the full list of free times of the same
// agenda over its 60-day window, in JSON.
func BenchmarkFreeTimesAPI(b *testing.B) {
	benchPage(b, "/api/v1/rendez-vous/agendas/passeports-cni/types/passeport-cni/creneaux")
}

// BenchmarkPagesHelloWorld is the bare net/http baseline of the three above.
func BenchmarkPagesHelloWorld(b *testing.B) {
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "Hello, world!\n") })
	req := httptest.NewRequest("GET", "http://localhost/", nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}
