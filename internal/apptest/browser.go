package apptest

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"guichet/internal/kernel/tenant"
)

// Browser is one visitor of one host: it keeps cookies like a browser,
// does not follow redirects (tests look at them), and reaches
// http://<host>/ through the test server whatever the host.
type Browser struct {
	env *Env
	// Host is the host name requests go to, e.g. "montclair.localhost".
	Host   string
	Client *http.Client
}

// Browser returns a new visitor of t's site, with an empty cookie jar.
func (e *Env) Browser(t *tenant.Tenant) *Browser {
	return e.BrowserFor(e.Host(t))
}

// BrowserFor returns a new visitor of any host (an unknown one, say).
func (e *Env) BrowserFor(host string) *Browser {
	jar, _ := cookiejar.New(nil)
	server := e.Server.Listener.Addr().String()
	transport := &http.Transport{
		// Every host name leads to the test server: no DNS for *.localhost.
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, server)
		},
		DisableCompression: true,
	}
	e.T.Cleanup(transport.CloseIdleConnections)
	return &Browser{env: e, Host: host, Client: &http.Client{Jar: jar, Transport: transport,
		Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}}
}

// Via returns a browser sharing b's cookies whose requests go to another
// node, as a load balancer may send a visitor's next request.
func (b *Browser) Via(node *Env) *Browser {
	other := node.BrowserFor(b.Host)
	other.Client.Jar = b.Client.Jar
	return other
}

// Response is what a request returned, body read.
type Response struct {
	Status   int
	Header   http.Header
	Body     string
	Location string // the redirect target, if any
}

// URL returns the absolute address of path on the browser's host.
func (b *Browser) URL(path string) string { return "http://" + b.Host + path }

// Get fetches path.
func (b *Browser) Get(path string) *Response { return b.Do(http.MethodGet, path, nil, nil) }

// Post submits form to path as a same-origin form would.
func (b *Browser) Post(path string, form url.Values) *Response {
	return b.Do(http.MethodPost, path, form, nil)
}

// Do sends a request with an optional form body and extra headers.
func (b *Browser) Do(method, path string, form url.Values, header http.Header) *Response {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
		header = header.Clone()
		if header == nil {
			header = http.Header{}
		}
		header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return b.send(method, path, body, header)
}

// File is a file a multipart form sends.
type File struct {
	Field, Name string
	Body        []byte
}

// PostFiles submits fields and files as a browser's multipart form.
func (b *Browser) PostFiles(path string, fields url.Values, files ...File) *Response {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	for _, f := range files {
		part, _ := w.CreateFormFile(f.Field, f.Name)
		_, _ = part.Write(f.Body)
	}
	_ = w.Close()
	return b.send(http.MethodPost, path, &buf, http.Header{"Content-Type": {w.FormDataContentType()}})
}

func (b *Browser) send(method, path string, body io.Reader, header http.Header) *Response {
	t := b.env.T
	t.Helper()
	target := path
	if !strings.HasPrefix(path, "http://") {
		target = b.URL(path)
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatalf("apptest: %s %s: %v", method, path, err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := b.Client.Do(req)
	if err != nil {
		t.Fatalf("apptest: %s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("apptest: read %s %s: %v", method, path, err)
	}
	return &Response{Status: res.StatusCode, Header: res.Header, Body: string(raw),
		Location: res.Header.Get("Location")}
}

// Cookie returns the value of the cookie name the browser holds, or "".
func (b *Browser) Cookie(name string) string {
	u, _ := url.Parse(b.URL("/"))
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// SetCookie puts a cookie in the browser's jar, as if its host had set it.
func (b *Browser) SetCookie(name, value string) {
	u, _ := url.Parse(b.URL("/"))
	b.Client.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// Want fails the test unless the response has status.
func (r *Response) Want(t testing.TB, status int) *Response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; location %q; body:\n%s", r.Status, status, r.Location, clip(r.Body))
	}
	return r
}

// WantRedirect fails the test unless the response redirects to a location
// starting with prefix.
func (r *Response) WantRedirect(t testing.TB, prefix string) *Response {
	t.Helper()
	if r.Status < 300 || r.Status > 399 || !strings.HasPrefix(r.Location, prefix) {
		t.Fatalf("status %d to %q, want a redirect to %s…; body:\n%s", r.Status, r.Location, prefix, clip(r.Body))
	}
	return r
}

// WantBody fails the test unless the body contains every substring.
func (r *Response) WantBody(t testing.TB, substrings ...string) *Response {
	t.Helper()
	for _, s := range substrings {
		if !strings.Contains(r.Body, s) {
			t.Fatalf("body lacks %q:\n%s", s, clip(r.Body))
		}
	}
	return r
}

func clip(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}

// Env returns the environment the browser visits.
func (b *Browser) Env() *Env { return b.env }
