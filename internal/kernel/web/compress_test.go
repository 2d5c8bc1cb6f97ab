package web

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// decode returns body decoded from the content coding enc ("" is none).
func decode(t *testing.T, enc string, body []byte) []byte {
	t.Helper()
	var r io.Reader
	switch enc {
	case "":
		return body
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		r = zr
	case "zstd":
		zr, err := zstd.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("zstd: %v", err)
		}
		defer zr.Close()
		r = zr
	default:
		t.Fatalf("unexpected coding %q", enc)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", enc, err)
	}
	return out
}

// varies reports whether h says the answer depends on Accept-Encoding.
func varies(h http.Header) bool {
	for _, v := range h.Values("Vary") {
		if strings.Contains(v, "Accept-Encoding") {
			return true
		}
	}
	return false
}

// The whole stack compresses text answers of a kilobyte or more for a
// client that accepts it, and leaves alone small bodies, binary types,
// HEAD, clients that do not ask, and answers marked private.
func TestCompressionOfAnswers(t *testing.T) {
	t.Parallel()
	log := slog.New(slog.DiscardHandler)
	s := NewServer(log, NewRenderer(log), nil, nil, false)
	page := []byte("<!doctype html><title>Agenda</title>" + strings.Repeat("<p>Marché de Noël, place de la Mairie, samedi 14 h.</p>\n", 300))
	serve := func(ct string, body []byte, private bool) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if private {
				withoutCompression(w)
			}
			w.Header().Set("Content-Type", ct)
			_, _ = w.Write(body)
		})
	}
	binary := bytes.Repeat([]byte{0x89, 'P', 'N', 'G', 0, 1, 2, 3}, 1000)
	s.Ops("GET /page", serve("text/html; charset=utf-8", page, false))
	s.Ops("GET /feed", serve("text/calendar; charset=utf-8", page, false))
	s.Ops("GET /small", serve("application/json; charset=utf-8", []byte(`{"slots":[]}`), false))
	s.Ops("GET /image", serve("image/png", binary, false))
	s.Ops("GET /pdf", serve("application/pdf", binary, false))
	s.Ops("GET /private", serve("text/html; charset=utf-8", page, true))
	s.Ops("GET /tagged", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		serve("text/html; charset=utf-8", page, false).ServeHTTP(w, r)
	}))
	h := s.Handler()

	rows := []struct {
		method, path, accept string
		want                 string // Content-Encoding
	}{
		{"GET", "/page", "gzip", "gzip"},
		{"GET", "/page", "zstd", "zstd"},
		{"GET", "/page", "gzip, deflate, br, zstd", "gzip"},
		{"GET", "/page", "gzip;q=0.5, zstd", "zstd"},
		{"GET", "/feed", "gzip", "gzip"},
		{"GET", "/page", "", ""},
		{"GET", "/page", "gzip;q=0", ""},
		{"GET", "/page", "br", ""},
		{"HEAD", "/page", "gzip", ""},
		{"GET", "/small", "gzip", ""},
		{"GET", "/image", "gzip", ""},
		{"GET", "/pdf", "gzip", ""},
		{"GET", "/private", "gzip", ""},
		{"GET", "/tagged", "gzip", "gzip"},
		{"GET", "/tagged", "zstd", "zstd"},
		{"GET", "/tagged", "", ""},
	}
	plain := map[string][]byte{"/page": page, "/feed": page, "/small": []byte(`{"slots":[]}`), "/image": binary,
		"/pdf": binary, "/private": page, "/tagged": page}
	for _, row := range rows {
		req := httptest.NewRequest(row.method, "http://montclair.localhost"+row.path, nil)
		if row.accept != "" {
			req.Header.Set("Accept-Encoding", row.accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		name := row.method + " " + row.path + " [" + row.accept + "]"
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", name, rec.Code)
		}
		got := rec.Header().Get("Content-Encoding")
		if got != row.want {
			t.Errorf("%s: Content-Encoding %q, want %q", name, got, row.want)
		}
		if !varies(rec.Header()) {
			t.Errorf("%s: no Vary: Accept-Encoding (headers %v)", name, rec.Header())
		}
		if v := rec.Header().Get("No-Gzip-Compression"); v != "" {
			t.Errorf("%s: the private mark went out: %q", name, v)
		}
		if rec.Header().Get("Content-Security-Policy") == "" {
			t.Errorf("%s: the security headers are missing", name)
		}
		if row.path == "/tagged" {
			want := `"v1"` // two encodings are two representations: their tags differ
			if row.want != "" {
				want = `"v1-` + row.want + `"`
			}
			if got := rec.Header().Get("ETag"); got != want {
				t.Errorf("%s: ETag %s, want %s", name, got, want)
			}
		}
		body := rec.Body.Bytes()
		if row.want != "" && len(body) >= len(plain[row.path])/4 {
			t.Errorf("%s: %d bytes for %d plain", name, len(body), len(plain[row.path]))
		}
		if row.method == "HEAD" {
			continue // a recorder keeps what a HEAD handler writes; the server drops it
		}
		if decoded := decode(t, got, body); !bytes.Equal(decoded, plain[row.path]) {
			t.Errorf("%s: %d bytes decoded, not the %d plain ones", name, len(decoded), len(plain[row.path]))
		}
	}
}

// A memoized page is gzipped once and then sent as it is; it decodes to
// the page, and a client that does not accept gzip gets the page.
func TestMemoPageSendsItsGzip(t *testing.T) {
	t.Parallel()
	body := []byte(strings.Repeat("<p>Horaires de la mairie : du lundi au vendredi.</p>\n", 100))
	p := &memoPage{key: "home", tenantID: "town", body: body}
	get := func(accept, method string, private bool) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, "http://montclair.localhost/", nil)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		rec := httptest.NewRecorder()
		if private {
			withoutCompression(rec)
		}
		p.write(rec, req)
		return rec
	}
	first := get("gzip, deflate, br, zstd", "GET", false)
	if first.Header().Get("Content-Encoding") != "gzip" || !varies(first.Header()) {
		t.Fatalf("headers %v, want gzip and Vary", first.Header())
	}
	if got := decode(t, "gzip", first.Body.Bytes()); !bytes.Equal(got, body) {
		t.Error("the gzipped page does not decode to the page")
	}
	gz := p.gz
	if again := get("gzip", "GET", false); !bytes.Equal(again.Body.Bytes(), first.Body.Bytes()) || &p.gz[0] != &gz[0] {
		t.Error("the page was compressed again")
	}
	for _, c := range []struct {
		accept, method string
		private        bool
	}{{"", "GET", false}, {"gzip;q=0", "GET", false}, {"gzip", "HEAD", false}, {"gzip", "GET", true}} {
		rec := get(c.accept, c.method, c.private)
		if rec.Header().Get("Content-Encoding") != "" || !bytes.Equal(rec.Body.Bytes(), body) {
			t.Errorf("%+v: encoding %q, %d bytes, want the plain page", c, rec.Header().Get("Content-Encoding"), rec.Body.Len())
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		values []string
		want   bool
	}{
		{nil, false},
		{[]string{""}, false},
		{[]string{"gzip"}, true},
		{[]string{"GZIP"}, true},
		{[]string{"deflate, gzip;q=0.5"}, true},
		{[]string{"gzip; q=0.001"}, true},
		{[]string{"gzip;q=0"}, false},
		{[]string{"gzip;q=0.0, zstd"}, false},
		{[]string{"br", "gzip"}, true},
		{[]string{"x-gzip"}, false},
		{[]string{"*"}, false},
	} {
		if got := acceptsGzip(c.values); got != c.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", c.values, got, c.want)
		}
	}
}

// BenchmarkCompressAnswers measures what compression adds to one answer
// of the sizes of a news page (8 KB), the slot list (64 KB) and the
// agenda feed (580 KB), through the middleware alone.
func BenchmarkCompressAnswers(b *testing.B) {
	words := strings.Fields("travaux rue des Lilas circulation alternée mars conseil municipal séance budget école " +
		"cantine inscription marché place Mairie médiathèque atelier numérique passeport rendez-vous déchets collecte " +
		"mercredi samedi matin soir quartier parc piscine fermeture ouverture horaires habitants association fête")
	r := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{8 << 10, 64 << 10, 580 << 10} {
		var page strings.Builder
		for page.Len() < size {
			fmt.Fprintf(&page, `<li><a href="/actualites/%d">`, r.IntN(100000))
			for range 6 + r.IntN(10) {
				page.WriteString(words[r.IntN(len(words))] + " ")
			}
			page.WriteString("</a></li>\n")
		}
		body := []byte(page.String())
		h := compressAnswers(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write(body)
		}))
		for _, enc := range []string{"", "gzip", "zstd"} {
			b.Run(fmt.Sprintf("%dKB/%s", size>>10, cmp.Or(enc, "plain")), func(b *testing.B) {
				req := httptest.NewRequest("GET", "http://montclair.localhost/", nil)
				if enc != "" {
					req.Header.Set("Accept-Encoding", enc)
				}
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				var out int
				for b.Loop() {
					w := &countingWriter{header: http.Header{}}
					h.ServeHTTP(w, req)
					out = w.n
				}
				b.ReportMetric(float64(out), "bytes-out")
			})
		}
	}
}

// countingWriter is a ResponseWriter that only counts bytes.
type countingWriter struct {
	header http.Header
	n      int
}

func (w *countingWriter) Header() http.Header         { return w.header }
func (w *countingWriter) WriteHeader(int)             {}
func (w *countingWriter) Write(b []byte) (int, error) { w.n += len(b); return len(b), nil }
