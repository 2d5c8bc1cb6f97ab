package mailweb_test

import (
	"context"
	"fmt"
	"guichet/internal/kernel/files"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/jobs"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/mail/mailweb"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/tenant/tenantweb"
	"guichet/internal/kernel/web"
)

// console is the operator's host on a database holding some mail.
type console struct {
	srv    *httptest.Server
	outbox *mail.Outbox
	town   *tenant.Tenant
}

// newConsole serves the platform with the "X-Test-Role" header standing
// for the session: "operator", "admin" or nothing (signed out).
func newConsole(t *testing.T, d *db.DB, messages int) *console {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tenants := tenant.NewStore(d)
	if err := tenants.EnsurePlatform(ctx); err != nil {
		t.Fatal(err)
	}
	town, err := tenants.Create(ctx, tenant.Tenant{Slug: "montclair", Name: "Ville de Montclair", Kind: tenant.KindCommune})
	if err != nil {
		t.Fatal(err)
	}
	q, err := jobs.New(ctx, d, log, jobs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	outbox, err := mail.NewOutbox(d, q, mail.NewTemplates(), tenants, mail.Config{From: "no-reply@localhost"}, log)
	if err != nil {
		t.Fatal(err)
	}
	for i := range messages {
		err := outbox.Enqueue(ctx, mail.Message{TenantID: town.ID, To: fmt.Sprintf("habitant%02d@example.org", i),
			Template: mail.TestTemplate, Data: map[string]any{"Link": fmt.Sprintf("http://montclair.localhost/lien/%d", i)}})
		if err != nil {
			t.Fatal(err)
		}
	}
	s := web.NewServer(log, web.NewRenderer(log), tenant.NewResolver(tenants, "localhost"), web.NewMetrics(prometheus.NewRegistry()), false)
	s.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if role := r.Header.Get("X-Test-Role"); role != "" {
				id := &account.Identity{UserID: "u1", TenantID: tenant.PlatformID, Email: "ops@example.org", Roles: []account.Role{account.Role(role)}}
				r = r.WithContext(account.NewContext(r.Context(), id))
			}
			next.ServeHTTP(w, r)
		})
	})
	logos, err := files.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Install(tenantweb.New(tenants, tenant.NewLogos(logos)), mailweb.New(outbox, false)); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &console{srv: srv, outbox: outbox, town: town}
}

func (c *console) do(t *testing.T, method, path, role string, form url.Values) (int, string, http.Header) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "localhost"
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if role != "" {
		req.Header.Set("X-Test-Role", role)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

var rowRE = regexp.MustCompile(`<th scope="row"><a href="/console/courriels/`)

func TestOutboxPagesForOperatorsOnly(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{tenant.Migrations, mail.Migrations}, func(t *testing.T, d *db.DB) {
		c := newConsole(t, d, 30)

		status, body, _ := c.do(t, "GET", "/console/courriels", "operator", nil)
		if status != http.StatusOK {
			t.Fatalf("operator: status %d\n%s", status, body)
		}
		if n := len(rowRE.FindAllString(body, -1)); n != 25 {
			t.Errorf("first page lists %d messages, want 25", n)
		}
		for _, want := range []string{"Aucun serveur SMTP", "Retenu", "Ville de Montclair", `href="/console/courriels?page=2"`,
			"<caption>", "(30 au total)", `value="ops@example.org"`} {
			if !strings.Contains(body, want) {
				t.Errorf("first page lacks %q", want)
			}
		}
		status, body, _ = c.do(t, "GET", "/console/courriels?page=2", "operator", nil)
		if n := len(rowRE.FindAllString(body, -1)); status != http.StatusOK || n != 5 {
			t.Errorf("second page: status %d, %d messages; want 200 and 5", status, n)
		}
		if status, _, _ = c.do(t, "GET", "/console/courriels?page=9", "operator", nil); status != http.StatusNotFound {
			t.Errorf("page past the end: status %d, want 404", status)
		}

		// Signed-out visitors are sent to sign in.
		for role, want := range map[string]int{"": http.StatusSeeOther, "admin": http.StatusForbidden} {
			status, body, _ := c.do(t, "GET", "/console/courriels", role, nil)
			if status != want || strings.Contains(body, "habitant") {
				t.Errorf("role %q: status %d (want %d), leaks recipients: %v", role, status, want, strings.Contains(body, "habitant"))
			}
		}
	})
}

func TestOperatorReadsHeldMessage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{tenant.Migrations, mail.Migrations}, func(t *testing.T, d *db.DB) {
		c := newConsole(t, d, 1)
		list, _, err := c.outbox.List(context.Background(), c.town.ID, 0, 1)
		if err != nil || len(list) != 1 {
			t.Fatal(list, err)
		}
		path := "/console/courriels/" + c.town.ID + "/" + list[0].ID
		status, body, _ := c.do(t, "GET", path, "operator", nil)
		if status != http.StatusOK || !strings.Contains(body, "http://montclair.localhost/lien/0") ||
			!strings.Contains(body, "Message d&#39;essai de Ville de Montclair") {
			t.Fatalf("preview: status %d\n%s", status, body)
		}
		if status, _, _ := c.do(t, "GET", "/console/courriels/"+tenant.PlatformID+"/"+list[0].ID, "operator", nil); status != http.StatusNotFound {
			t.Errorf("message under the wrong tenant: status %d, want 404", status)
		}
		if status, _, _ := c.do(t, "GET", path, "admin", nil); status != http.StatusForbidden {
			t.Errorf("administrator reads the preview: status %d, want 403", status)
		}
	})
}

func TestOperatorSendsTestMessage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{tenant.Migrations, mail.Migrations}, func(t *testing.T, d *db.DB) {
		c := newConsole(t, d, 0)
		status, _, h := c.do(t, "POST", "/console/courriels/test", "operator", url.Values{"email": {" essai@example.org "}})
		if status != http.StatusSeeOther || h.Get("Location") != "/console/courriels?ok=test" {
			t.Fatalf("send test: status %d, Location %q", status, h.Get("Location"))
		}
		list, total, err := c.outbox.List(context.Background(), tenant.PlatformID, 0, 10)
		if err != nil || total != 1 || list[0].To != "essai@example.org" || list[0].Subject != "Message d'essai de Plateforme Guichet" {
			t.Fatalf("platform outbox: %d messages, %v", total, err)
		}
		_, body, _ := c.do(t, "GET", "/console/courriels?ok=test", "operator", nil)
		if !strings.Contains(body, "placé dans la file d&#39;envoi") {
			t.Error("no confirmation after sending")
		}

		status, body, _ = c.do(t, "POST", "/console/courriels/test", "operator", url.Values{"email": {"pas-une-adresse"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#champ-email"`) ||
			!strings.Contains(body, `aria-invalid="true"`) || !strings.Contains(body, `value="pas-une-adresse"`) {
			t.Fatalf("invalid address: status %d\n%s", status, body)
		}
		if status, _, _ := c.do(t, "POST", "/console/courriels/test", "admin", url.Values{"email": {"x@example.org"}}); status != http.StatusForbidden {
			t.Errorf("administrator sends a test: status %d, want 403", status)
		}
	})
}

func TestConsoleLinksToOutboxOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{tenant.Migrations, mail.Migrations}, func(t *testing.T, d *db.DB) {
		c := newConsole(t, d, 0)
		status, body, _ := c.do(t, "GET", "/console", "operator", nil)
		if status != http.StatusOK {
			t.Fatalf("console: status %d", status)
		}
		if n := strings.Count(body, `href="/console/courriels"`); n != 1 {
			t.Fatalf("console links to the outbox %d times, want once", n)
		}
	})
}
