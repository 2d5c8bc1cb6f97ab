package app_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"guichet/internal/apptest"
)

// BenchmarkHomePage measures the home page handler of a demo collectivité
// through the whole middleware stack, without the network.
func BenchmarkHomePage(b *testing.B) {
	e := apptest.New(b, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"), apptest.WithDemoData())
	h := e.App.Web.Handler()
	req := httptest.NewRequest("GET", "http://montclair.localhost/", nil)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkHomePageGzip is BenchmarkHomePage for a client that accepts
// gzip: the memoized page plus its compression.
func BenchmarkHomePageGzip(b *testing.B) {
	e := apptest.New(b, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"), apptest.WithDemoData())
	h := e.App.Web.Handler()
	req := httptest.NewRequest("GET", "http://montclair.localhost/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" {
			b.Fatalf("status %d, encoding %q", rec.Code, rec.Header().Get("Content-Encoding"))
		}
	}
}

// BenchmarkHelloWorld is the bare net/http baseline for BenchmarkHomePage.
func BenchmarkHelloWorld(b *testing.B) {
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "Hello, world!\n") })
	req := httptest.NewRequest("GET", "http://localhost/", nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}
