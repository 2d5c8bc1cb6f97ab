package app_test

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"

	"guichet/internal/apptest"
	"guichet/internal/capability/events/eventsweb"
)

// slotList is the JSON of every free time of the passport agenda's
// window (60 days), as the time-choosing page reads it.
const slotList = "/api/v1/rendez-vous/agendas/passeports-cni/types/passeport-cni/creneaux"

// decoded returns res's body decoded from its Content-Encoding.
func decoded(t *testing.T, res *apptest.Response) string {
	t.Helper()
	var r io.Reader
	switch enc := res.Header.Get("Content-Encoding"); enc {
	case "":
		return res.Body
	case "gzip":
		zr, err := gzip.NewReader(strings.NewReader(res.Body))
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		r = zr
	case "zstd":
		zr, err := zstd.NewReader(strings.NewReader(res.Body))
		if err != nil {
			t.Fatalf("zstd: %v", err)
		}
		defer zr.Close()
		r = zr
	default:
		t.Fatalf("unexpected Content-Encoding %q", enc)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return string(out)
}

func variesOnEncoding(h http.Header) bool {
	for _, v := range h.Values("Vary") {
		if strings.Contains(v, "Accept-Encoding") {
			return true
		}
	}
	return false
}

func accepting(enc string) http.Header { return http.Header{"Accept-Encoding": {enc}} }

// The large public answers — the slot list of an agenda, a news page,
// the agenda's iCalendar feed of 500 events, the news feed and the home
// page — are compressed for a client that accepts gzip or zstd and decode
// to the bytes a client without Accept-Encoding gets; HEAD is left alone.
func TestLargeAnswersAreCompressed(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		// Spread over two years, 1,000 events fill the feed's 500 places.
		ctx := context.Background()
		if err := eventsweb.Of(e.App.Kernel).Store.Generate(ctx, e.Town.ID, e.Town.Location(), 1000, func() {}); err != nil {
			t.Fatal(err)
		}
		b := e.Browser(e.Town)
		if feed := b.Get("/agenda/flux.ics").Want(t, http.StatusOK).Body; strings.Count(feed, "BEGIN:VEVENT") != 500 {
			t.Fatalf("the feed holds %d events, want 500", strings.Count(feed, "BEGIN:VEVENT"))
		}
		for _, path := range []string{slotList, "/actualites", "/agenda/flux.ics", "/actualites/flux.atom", "/"} {
			plain := b.Get(path).Want(t, http.StatusOK)
			if enc := plain.Header.Get("Content-Encoding"); enc != "" || !variesOnEncoding(plain.Header) {
				t.Errorf("%s without Accept-Encoding: Content-Encoding %q, Vary %q", path, enc, plain.Header.Values("Vary"))
			}
			for _, enc := range []string{"gzip", "zstd", "gzip, deflate, br, zstd"} {
				res := b.Do(http.MethodGet, path, nil, accepting(enc)).Want(t, http.StatusOK)
				got := res.Header.Get("Content-Encoding")
				if got == "" || !strings.Contains(enc, got) || !variesOnEncoding(res.Header) {
					t.Errorf("%s [%s]: Content-Encoding %q, Vary %q", path, enc, got, res.Header.Values("Vary"))
					continue
				}
				if len(res.Body) > len(plain.Body)/2 {
					t.Errorf("%s [%s]: %d bytes for %d plain", path, enc, len(res.Body), len(plain.Body))
				}
				// A free time may pass between two requests: compare with a
				// plain answer fetched just before or just after.
				if body := decoded(t, res); body != plain.Body && body != b.Get(path).Body {
					t.Errorf("%s [%s]: decodes to %d bytes unlike the %d plain ones", path, enc, len(body), len(plain.Body))
				}
			}
			head := b.Do(http.MethodHead, path, nil, accepting("gzip")).Want(t, http.StatusOK)
			if enc := head.Header.Get("Content-Encoding"); enc != "" || head.Body != "" {
				t.Errorf("HEAD %s: Content-Encoding %q, %d bytes", path, enc, len(head.Body))
			}
		}
	}, apptest.WithDemoData())
}

// Small answers and answers that belong to one person (a signed-in
// visitor, a private page, a form sent) are not compressed: the latter
// could otherwise leak a secret through their size (BREACH). Binary types
// are checked in kernel/web.
func TestAnswersLeftUncompressed(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		anon := e.Browser(e.Town)
		resident := e.Browser(e.Town).SignInDemo(t, "habitante@courriel.localhost")
		rows := []struct {
			what   string
			b      *apptest.Browser
			method string
			path   string
			form   url.Values
			status int
		}{
			{"small JSON error", anon, "GET", "/api/v1/rendez-vous/agendas/inconnu/types/inconnu/creneaux", nil, http.StatusNotFound},
			{"health check", anon, "GET", "/healthz", nil, http.StatusOK},
			{"signed-in news page", resident, "GET", "/actualites", nil, http.StatusOK},
			{"signed-in slot list", resident, "GET", slotList, nil, http.StatusOK},
			{"own account", resident, "GET", "/compte", nil, http.StatusOK},
			{"sign-in form sent", anon, "POST", "/connexion", url.Values{"email": {"habitante@courriel.localhost"}, "password": {"faux"}}, http.StatusUnauthorized},
		}
		for _, row := range rows {
			res := row.b.Do(row.method, row.path, row.form, accepting("gzip, zstd")).Want(t, row.status)
			if enc := res.Header.Get("Content-Encoding"); enc != "" {
				t.Errorf("%s: Content-Encoding %q", row.what, enc)
			}
			if v := res.Header.Get("No-Gzip-Compression"); v != "" {
				t.Errorf("%s: the private mark went out: %q", row.what, v)
			}
			if !variesOnEncoding(res.Header) {
				t.Errorf("%s: no Vary: Accept-Encoding", row.what)
			}
		}
		// The stylesheet keeps the gzip made at start.
		home := anon.Get("/").Body
		css := home[strings.Index(home, "/static/css/"):]
		css = css[:strings.IndexByte(css, '"')]
		res := anon.Do(http.MethodGet, css, nil, accepting("gzip, zstd")).Want(t, http.StatusOK)
		plain := anon.Get(css).Want(t, http.StatusOK)
		if res.Header.Get("Content-Encoding") != "gzip" || !variesOnEncoding(res.Header) || decoded(t, res) != plain.Body {
			t.Errorf("stylesheet: Content-Encoding %q, Vary %q", res.Header.Get("Content-Encoding"), res.Header.Values("Vary"))
		}
	}, apptest.WithDemoData())
}
