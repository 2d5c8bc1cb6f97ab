package app_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"guichet/internal/app"
)

// demoEnv is the demo dataset served over real HTTP; browsers reach each
// collectivité by its own host name, dialled to the test server.
type demoEnv struct {
	app  *app.App
	srv  *httptest.Server
	port string
}

func newDemoEnv(t testing.TB, dbURL string) *demoEnv {
	t.Helper()
	e := newShellNoSeed(t, dbURL)
	if _, err := e.app.SeedDemo(context.Background()); err != nil {
		t.Fatalf("seed demo: %v", err)
	}
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(e.srv.URL, "http://"))
	return &demoEnv{app: e.app, srv: e.srv, port: port}
}

// browser keeps its own cookies, like one person's browser.
type browser struct {
	t      testing.TB
	e      *demoEnv
	client *http.Client
	host   string // the host this browser visits by default
}

func (e *demoEnv) browser(t testing.TB, host string) *browser {
	jar, _ := cookiejar.New(nil)
	addr := e.srv.Listener.Addr().String()
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	return &browser{t: t, e: e, host: host, client: &http.Client{Jar: jar, Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// url returns the absolute address of path on the browser's host.
func (b *browser) url(path string) string { return "http://" + b.host + ":" + b.e.port + path }

// at returns a browser sharing b's cookies but visiting another host.
func (b *browser) at(host string) *browser {
	c := *b
	c.host = host
	return &c
}

type page struct {
	status int
	body   string
	header http.Header
}

func (b *browser) do(method, path string, form url.Values, header http.Header) page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.url(path), body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return page{res.StatusCode, string(raw), res.Header}
}

func (b *browser) get(path string) page                   { return b.do("GET", path, nil, nil) }
func (b *browser) post(path string, form url.Values) page { return b.do("POST", path, form, nil) }

// signIn signs in with the demo password and, for staff, the demo TOTP code.
func (b *browser) signIn(email string) *browser {
	b.t.Helper()
	p := b.post("/connexion", url.Values{"email": {email}, "password": {app.DemoPassword}})
	if p.status != http.StatusSeeOther {
		b.t.Fatalf("sign in %s on %s: status %d %.300s", email, b.host, p.status, p.body)
	}
	if loc := p.header.Get("Location"); strings.HasPrefix(loc, "/connexion/deuxieme-facteur") {
		code, err := totp.GenerateCode(app.DemoTOTPSecret, time.Now())
		if err != nil {
			b.t.Fatal(err)
		}
		p = b.post("/connexion/deuxieme-facteur", url.Values{"code": {code}})
		if p.status != http.StatusSeeOther {
			b.t.Fatalf("second factor of %s: status %d %.300s", email, p.status, p.body)
		}
	}
	return b
}
