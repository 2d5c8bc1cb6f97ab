package staffweb_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/prometheus/client_golang/prometheus"

	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/identity/staff/staffweb"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/web"
)

const (
	secret   = "GUICHETDEMOSECRETTOTP234"
	password = "Tr4in!Bleu#9-Vert"
)

// fakeMail keeps enqueued messages for the test to read.
type fakeMail struct {
	mu  sync.Mutex
	out []mail.Message
}

func (f *fakeMail) Enqueue(_ context.Context, m mail.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.out = append(f.out, m)
	return nil
}

func (f *fakeMail) last(t *testing.T) mail.Message {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.out) == 0 {
		t.Fatal("no mail sent")
	}
	return f.out[len(f.out)-1]
}

// testLog sends the server's log to the test's.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// env is the web stack with the back office, on one database, with the
// two demo collectivités.
type env struct {
	t             *testing.T
	d             *db.DB
	srv           *httptest.Server
	accounts      *account.Store
	sessions      *account.Sessions
	staff         *staff.Store
	mail          *fakeMail
	bo            *staffweb.Module
	town, village *tenant.Tenant
	platform      *tenant.Tenant
	now           time.Time
}

func each(t *testing.T, fn func(t *testing.T, e *env)) {
	dbtest.Each(t, []db.Migrations{tenant.Migrations, account.Migrations, staff.Migrations}, func(t *testing.T, d *db.DB) {
		fn(t, newEnv(t, d))
	})
}

func newEnv(t *testing.T, d *db.DB) *env {
	ctx := context.Background()
	e := &env{t: t, d: d, mail: &fakeMail{}, now: time.Date(2026, 3, 2, 9, 0, 15, 0, time.UTC)}
	tenants := tenant.NewStore(d)
	if err := tenants.EnsurePlatform(ctx); err != nil {
		t.Fatal(err)
	}
	created, err := demo.Seed(ctx, tenants)
	if err != nil {
		t.Fatal(err)
	}
	e.town, e.village = created[demo.Town], created[demo.Village]
	e.platform, _ = tenants.Get(ctx, tenant.PlatformID)
	log := slog.New(slog.NewTextHandler(testLog{t}, nil)) // shown only when a test fails
	s := web.NewServer(log, web.NewRenderer(log), tenant.NewResolver(tenants, "localhost"),
		web.NewMetrics(prometheus.NewRegistry()), false)
	e.accounts = account.NewStore(d)
	e.sessions = account.NewSessions(e.accounts, false)
	e.staff = staff.NewStore(d, "a-test-secret-key-of-32-characters")
	e.sessions.SetStaffSource(e.staff)
	s.SetAudit(e.staff)
	s.Use(e.sessions.Middleware)
	e.bo = staffweb.New(e.staff, e.sessions, e.mail)
	e.bo.Now = func() time.Time { return e.now }
	if err := s.Install(e.bo); err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(s.Handler())
	t.Cleanup(e.srv.Close)
	return e
}

// person creates an account on t, with roles when given, enrolled in TOTP
// with the shared test secret when staff.
func (e *env) person(t *tenant.Tenant, email string, g staff.Grant) *account.User {
	e.t.Helper()
	ctx := context.Background()
	u, err := e.accounts.Register(ctx, t.ID, email, "Camille Martin", password)
	if err != nil {
		e.t.Fatalf("register %s: %v", email, err)
	}
	if len(g.Roles) > 0 {
		if err := e.staff.Add(ctx, t.ID, u.ID, g); err != nil {
			e.t.Fatalf("roles of %s: %v", email, err)
		}
		if err := e.staff.EnrolWithSecret(ctx, t.ID, u.ID, secret); err != nil {
			e.t.Fatal(err)
		}
	}
	return u
}

func grant(roles ...account.Role) staff.Grant { return staff.Grant{Roles: roles} }

// browser is one visitor of one host, keeping its session cookie.
type browser struct {
	e      *env
	host   string
	cookie string
}

func (e *env) browser(t *tenant.Tenant) *browser {
	host := t.Slug + ".localhost"
	if t.IsPlatform() {
		host = "localhost"
	}
	return &browser{e: e, host: host}
}

// signIn opens a session the way the password sign-in page does; passed
// says the second factor is already done.
func (b *browser) signIn(t *tenant.Tenant, u *account.User, passed bool) *browser {
	b.e.t.Helper()
	return b.signInWith(t, u, account.SignInOptions{SecondFactor: passed})
}

func (b *browser) signInWith(t *tenant.Tenant, u *account.User, opt account.SignInOptions) *browser {
	b.e.t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/connexion", nil)
	r = r.WithContext(tenant.NewContext(r.Context(), t))
	w := httptest.NewRecorder()
	if err := b.e.sessions.SignIn(w, r, u, opt); err != nil {
		b.e.t.Fatal(err)
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == account.CookieName {
			b.cookie = c.Value
		}
	}
	return b
}

// response is what a request returned.
type response struct {
	status   int
	body     string
	location string
	header   http.Header
}

func (b *browser) do(method, path string, form url.Values) response {
	b.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.e.srv.URL+path, body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	req.Host = b.host
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if b.cookie != "" {
		req.AddCookie(&http.Cookie{Name: account.CookieName, Value: b.cookie})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	for _, c := range res.Cookies() {
		if c.Name == account.CookieName {
			b.cookie = c.Value
		}
	}
	return response{status: res.StatusCode, body: string(raw), location: res.Header.Get("Location"), header: res.Header}
}

func (b *browser) get(path string) response { return b.do(http.MethodGet, path, nil) }

func (b *browser) post(path string, form url.Values) response {
	if form == nil {
		form = url.Values{}
	}
	return b.do(http.MethodPost, path, form)
}

func (e *env) code(at time.Time) string {
	e.t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func want(t *testing.T, r response, status int, contains ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d (location %q), want %d\n%s", r.status, r.location, status, excerpt(r.body))
	}
	for _, s := range contains {
		if !strings.Contains(r.body, s) {
			t.Fatalf("body lacks %q\n%s", s, excerpt(r.body))
		}
	}
}

func excerpt(s string) string {
	if i := strings.Index(s, "<main"); i >= 0 {
		s = s[i:]
	}
	if len(s) > 3000 {
		s = s[:3000]
	}
	return s
}
