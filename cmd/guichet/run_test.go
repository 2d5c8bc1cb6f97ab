package main

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func runCmd(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out, errOut syncBuffer
	at := dbtest.Start(t).Format(time.RFC3339)
	getenv := func(k string) string {
		if v, ok := env[k]; ok || k != "GUICHET_CLOCK" {
			return v
		}
		return at // the program runs on the tests' clock
	}
	err := run(context.Background(), args, getenv, &out, &errOut)
	return out.String() + errOut.String(), err
}

func eachDB(t *testing.T, fn func(t *testing.T, url string)) {
	urls := dbtest.URLs(t)
	for _, d := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			u, ok := urls[d]
			if !ok {
				t.Skip("PostgreSQL not configured: set GUICHET_TEST_POSTGRES=postgres://…")
			}
			fn(t, u)
		})
	}
}

func TestVersionAndUsage(t *testing.T) {
	t.Parallel()
	out, err := runCmd(t, nil, "version")
	if err != nil || !strings.HasPrefix(out, "guichet ") {
		t.Fatalf("version: %q, %v", out, err)
	}
	if _, err := runCmd(t, nil, "frobnicate"); err == nil {
		t.Fatal("an unknown command succeeded")
	}
	if _, err := runCmd(t, nil); err == nil {
		t.Fatal("no command succeeded")
	}
}

func TestTenantCommands(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, url string) {
		env := map[string]string{"GUICHET_DATABASE_URL": url, "GUICHET_DATA_DIR": t.TempDir()}
		if out, err := runCmd(t, env, "migrate"); err != nil || !strings.Contains(out, "migrations applied") {
			t.Fatalf("migrate: %q, %v", out, err)
		}
		out, err := runCmd(t, env, "tenant", "create", "--slug", "lerouet", "--name", "Commune du Rouet",
			"--insee", "54084", "--siret", "21869900700017")
		if err != nil || !strings.Contains(out, "http://lerouet.localhost") {
			t.Fatalf("create: %q, %v", out, err)
		}
		out, err = runCmd(t, env, "tenant", "create", "--slug", "Bad Slug", "--name", "")
		if err == nil || !strings.Contains(err.Error(), "slug") || !strings.Contains(err.Error(), "name") {
			t.Fatalf("invalid create: %q, %v", out, err)
		}
		if _, err := runCmd(t, env, "tenant", "suspend", "--slug", "lerouet"); err != nil {
			t.Fatal(err)
		}
		out, err = runCmd(t, env, "tenant", "list")
		if err != nil || !regexp.MustCompile(`lerouet\s+Commune du Rouet\s+commune\s+54084\s+suspended`).MatchString(out) {
			t.Fatalf("list: %q, %v", out, err)
		}
		if _, err := runCmd(t, env, "tenant", "suspend", "--slug", "absent"); err == nil {
			t.Fatal("suspending an unknown tenant succeeded")
		}
	})
}

func TestServeNeedsSecretKey(t *testing.T) {
	t.Parallel()
	_, err := runCmd(t, map[string]string{"GUICHET_DATA_DIR": t.TempDir()}, "serve", "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "secret key") {
		t.Fatalf("serve without a key: %v", err)
	}
}

// TestDemoServesBothTowns starts the demo as a user would, checks both
// collectivités and an unknown host, then stops it like Ctrl+C does.
func TestDemoServesBothTowns(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, url string) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var out, errOut syncBuffer
		env := map[string]string{"GUICHET_LOG_LEVEL": "error", "GUICHET_CLOCK": dbtest.Start(t).Format(time.RFC3339)}
		args := []string{"demo", "--addr", "127.0.0.1:0", "--data", t.TempDir()}
		if strings.HasPrefix(url, "postgres") {
			args = append(args, "--database-url", url)
		}
		done := make(chan error, 1)
		go func() { done <- run(ctx, args, func(k string) string { return env[k] }, &out, &errOut) }()
		addr := waitFor(t, &out, regexp.MustCompile(`http://montclair\.localhost:(\d+)/`), done)
		for host, want := range map[string]string{"montclair.localhost": "Ville de Montclair-sur-Vienne",
			"sauvigny.localhost": "Commune de Sauvigny-le-Haut"} {
			body, status := get(t, "http://127.0.0.1:"+addr+"/", host)
			if status != 200 || !strings.Contains(body, `lang="fr"`) || !strings.Contains(body, want) {
				t.Errorf("%s: %d %.200s", host, status, body)
			}
		}
		if _, status := get(t, "http://127.0.0.1:"+addr+"/", "inconnue.localhost"); status != 404 {
			t.Errorf("unknown host: %d", status)
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("demo stopped with %v; stderr %s", err, errOut.String())
			}
		case <-time.After(30 * time.Second):
			t.Fatal("demo did not stop")
		}
	})
}

func waitFor(t *testing.T, out *syncBuffer, re *regexp.Regexp, done chan error) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("demo exited early: %v\n%s", err, out.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("demo never printed its address:\n%s", out.String())
	return ""
}

func get(t *testing.T, url, host string) (string, int) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Host = host
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(res.Body)
	return b.String(), res.StatusCode
}
