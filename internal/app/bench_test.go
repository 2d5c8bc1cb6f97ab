package app_test

import (
	"cmp"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/events/eventsweb"
	"guichet/internal/capability/news/newsweb"
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

// BenchmarkLargeAnswers measures the large public answers through the
// whole stack, plain and for a client that accepts gzip: the slot list of
// an agenda, a news page, the agenda feed of 500 events, the news feed.
func BenchmarkLargeAnswers(b *testing.B) {
	e := apptest.New(b, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"), apptest.WithDemoData())
	ctx := context.Background()
	if err := eventsweb.Of(e.App.Kernel).Store.Generate(ctx, e.Town.ID, e.Town.Location(), 1000, func() {}); err != nil {
		b.Fatal(err)
	}
	if err := newsweb.Of(e.App.Kernel).Store.Generate(ctx, e.Town.ID, 200, func() {}); err != nil {
		b.Fatal(err)
	}
	h := e.App.Web.Handler()
	for _, p := range []struct{ name, path string }{{"slots", slotList}, {"news", "/actualites"},
		{"agenda-ics", "/agenda/flux.ics"}, {"news-atom", "/actualites/flux.atom"}} {
		for _, enc := range []string{"", "gzip"} {
			b.Run(p.name+"/"+cmp.Or(enc, "plain"), func(b *testing.B) {
				req := httptest.NewRequest("GET", "http://montclair.localhost"+p.path, nil)
				if enc != "" {
					req.Header.Set("Accept-Encoding", enc)
				}
				b.ReportAllocs()
				var size int
				for b.Loop() {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != enc {
						b.Fatalf("status %d, encoding %q", rec.Code, rec.Header().Get("Content-Encoding"))
					}
					size = rec.Body.Len()
				}
				b.ReportMetric(float64(size), "bytes")
			})
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
