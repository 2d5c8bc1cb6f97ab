package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"guichet/internal/app"
	"guichet/internal/apptest"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/mailtest"
	"guichet/internal/kernel/tenant"
)

// newMailApp opens an app on dbURL sending to smtpURL, polling for jobs
// every 20 ms; it is closed when the test ends (closing twice is harmless).
func newMailApp(t *testing.T, dbURL, smtpURL string, demo bool) *app.App {
	t.Helper()
	cfg := &app.Config{DatabaseURL: dbURL, BaseDomain: "localhost", SecretKey: apptest.SecretKey,
		DataDir: t.TempDir(), LogLevel: "error", SMTPURL: smtpURL, JobPoll: "20ms", Demo: demo, Clock: dbtest.Clock(t)}
	if err := cfg.Finish(); err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, io.Discard)
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func testMessage(to string) mail.Message {
	return mail.Message{TenantID: tenant.PlatformID, To: to, Template: mail.TestTemplate, Lang: "en",
		Data: map[string]any{"Link": "http://localhost/"}}
}

// A message queued by an app that stops before sending it is delivered by
// the next app opened on the same database.
func TestQueuedMailSurvivesRestart(t *testing.T) {
	t.Parallel()
	eachURL(t, func(t *testing.T, url string) {
		srv := mailtest.Start(t)
		first := newMailApp(t, url, srv.URL, false)
		if err := first.Mail.Enqueue(context.Background(), testMessage("restart@example.org")); err != nil {
			t.Fatal(err)
		}
		if err := first.Close(); err != nil {
			t.Fatal(err)
		}
		if n := len(srv.Messages()); n != 0 {
			t.Fatalf("%d messages sent by an app whose workers never started", n)
		}

		second := newMailApp(t, url, srv.URL, false)
		if err := second.StartWorkers(context.Background()); err != nil {
			t.Fatal(err)
		}
		m := srv.WaitFor(t, "restart@example.org", 10*time.Second)
		if m.Subject != "Test message from Plateforme Guichet" || m.HTML == "" {
			t.Fatalf("received %q, HTML part %d bytes", m.Subject, len(m.HTML))
		}
	})
}

func TestExpiredSessionsAndTokensArePurged(t *testing.T) {
	t.Parallel()
	eachURL(t, func(t *testing.T, url string) {
		a := newMailApp(t, url, "", false)
		ctx := context.Background()
		now := a.Now()
		past, future := now.Add(-time.Hour), now.Add(time.Hour)
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO users (id, tenant_id, email, email_key, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				[]any{"u1", tenant.PlatformID, "a@example.org", "a@example.org", "A", now, now}},
			{`INSERT INTO sessions (id, tenant_id, user_id, idle_seconds, created_at, idle_until, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				[]any{"old", tenant.PlatformID, "u1", 60, past, past, past}},
			{`INSERT INTO sessions (id, tenant_id, user_id, idle_seconds, created_at, idle_until, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				[]any{"live", tenant.PlatformID, "u1", 60, now, future, future}},
			{`INSERT INTO tokens (hash, tenant_id, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
				[]any{"h-old", tenant.PlatformID, "u1", "reset", past, past}},
			{`INSERT INTO tokens (hash, tenant_id, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
				[]any{"h-live", tenant.PlatformID, "u1", "reset", now, future}},
		} {
			if _, err := a.DB.Exec(ctx, q.sql, q.args...); err != nil {
				t.Fatal(err)
			}
		}
		if err := a.StartWorkers(ctx); err != nil {
			t.Fatal(err)
		}
		count := func(table string) (n int) {
			_ = a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n)
			return n
		}
		deadline := time.Now().Add(10 * time.Second)
		for count("sessions") != 1 || count("tokens") != 1 {
			if time.Now().After(deadline) {
				t.Fatalf("not purged: %d sessions, %d tokens", count("sessions"), count("tokens"))
			}
			time.Sleep(50 * time.Millisecond)
		}
		var live string
		if err := a.DB.QueryRow(ctx, `SELECT id FROM sessions`).Scan(&live); err != nil || live != "live" {
			t.Fatalf("remaining session = %q, %v", live, err)
		}
	})
}

func TestDemoHoldsMailAndMetricsShowQueues(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t)
	a := newMailApp(t, "sqlite:"+t.TempDir()+"/demo.db", srv.URL, true)
	if !a.Mail.Holding() {
		t.Fatal("demo mode sends mail")
	}
	if err := a.Mail.Enqueue(context.Background(), testMessage("demo@example.org")); err != nil {
		t.Fatal(err)
	}
	web := httptest.NewServer(a.Web.Handler())
	defer web.Close()
	res, err := http.Get(web.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{`guichet_mail_outbox{status="held"} 1`, `guichet_jobs{state="available"}`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

// eachURL runs fn on a fresh database URL per engine, reporting PostgreSQL
// as skipped when it is not configured.
func eachURL(t *testing.T, fn func(t *testing.T, url string)) {
	urls := dbtest.URLs(t)
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			u, ok := urls[dialect]
			if !ok {
				t.Skip("PostgreSQL not configured: set GUICHET_TEST_POSTGRES=postgres://…")
			}
			fn(t, u)
		})
	}
}
