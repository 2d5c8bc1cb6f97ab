package app_test

import (
	"bytes"
	"cmp"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"guichet/internal/apptest"
	"guichet/internal/capability/events/eventsweb"
	"guichet/internal/capability/news/newsweb"
)

// BenchmarkHomePage measures the home page handler of a demo collectivité
// through the whole middleware stack, without the network.
func BenchmarkHomePage(b *testing.B) {
	e := apptest.New(b, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"), apptest.WithDemoData())
	h := e.App.Web.Handler()
	serveLoop(b, h, httptest.NewRequest("GET", "http://montclair.localhost/", nil))
}

// serveLoop times h answering req, which must answer 200.
func serveLoop(b *testing.B, h http.Handler, req *http.Request) {
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

// largeAnswers serves the demo with 1,000 more events (the agenda feed
// then holds its 500) and 200 more news.
func largeAnswers(b *testing.B) http.Handler {
	e := apptest.New(b, "sqlite:"+filepath.Join(b.TempDir(), "bench.db"), apptest.WithDemoData())
	ctx := context.Background()
	if err := eventsweb.Of(e.App.Kernel).Store.Generate(ctx, e.Town.ID, e.Town.Location(), 1000, func() {}); err != nil {
		b.Fatal(err)
	}
	if err := newsweb.Of(e.App.Kernel).Store.Generate(ctx, e.Town.ID, 200, func() {}); err != nil {
		b.Fatal(err)
	}
	return e.App.Web.Handler()
}

var largePaths = []struct{ name, path string }{{"slots", slotList}, {"news", "/actualites"},
	{"agenda-ics", "/agenda/flux.ics"}, {"news-atom", "/actualites/flux.atom"}, {"home", "/"}}

// BenchmarkLargeAnswers measures the large public answers through the
// whole stack, plain and for a client that accepts gzip: the slot list of
// an agenda, a news page, the agenda feed of 500 events, the news feed,
// and the home page (memoized, gzipped once).
func BenchmarkLargeAnswers(b *testing.B) {
	h := largeAnswers(b)
	for _, p := range largePaths {
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

// BenchmarkCompressors compresses the same large answers, read once, with
// the encoders web.compressAnswers could use: gzip at its fastest level
// (the one used), gzip at its default level, zstd at its fastest with the
// settings of gzhttp's pool. It weighs the time against the bytes.
func BenchmarkCompressors(b *testing.B) {
	h := largeAnswers(b)
	gz1, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	gz5, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression)
	zs, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1),
		zstd.WithLowerEncoderMem(true), zstd.WithWindowSize(128<<10))
	encoders := []struct {
		name  string
		reset func(io.Writer) io.WriteCloser
	}{
		{"gzip-1", func(w io.Writer) io.WriteCloser { gz1.Reset(w); return gz1 }},
		{"gzip-default", func(w io.Writer) io.WriteCloser { gz5.Reset(w); return gz5 }},
		{"zstd-fastest", func(w io.Writer) io.WriteCloser { zs.Reset(w); return zs }},
	}
	for _, p := range largePaths {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "http://montclair.localhost"+p.path, nil))
		body := rec.Body.Bytes()
		for _, enc := range encoders {
			b.Run(p.name+"/"+enc.name, func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				var out bytes.Buffer
				for b.Loop() {
					out.Reset()
					w := enc.reset(&out)
					_, _ = w.Write(body)
					_ = w.Close()
				}
				b.ReportMetric(float64(out.Len()), "bytes")
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
