package main

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// TestServeHashesAtProductionCost signs a resident up on the server that
// `serve` starts: the stored hash carries OWASP's argon2id parameters.
// Test binaries lower the cost through a hook (TestMain here), so the test
// runs again in a process of its own where nothing lowered it.
func TestServeHashesAtProductionCost(t *testing.T) {
	t.Parallel()
	if os.Getenv(productionCostRun) == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestServeHashesAtProductionCost$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), productionCostRun+"=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestServeHashesAtProductionCost") {
			t.Fatalf("in a process of its own: %v\n%s", err, out)
		}
		return
	}
	u := dbtest.URLs(t)[db.SQLite]
	env := map[string]string{"GUICHET_DATABASE_URL": u, "GUICHET_DATA_DIR": t.TempDir(),
		"GUICHET_SECRET_KEY": testSecretKey, "GUICHET_LOG_LEVEL": "error"}
	if _, err := runCmd(t, env, "migrate"); err != nil {
		t.Fatal(err)
	}
	if out, err := runCmd(t, env, "tenant", "create", "--slug", "lerouet", "--name", "Commune du Rouet",
		"--insee", "54084", "--siret", "21869900700017"); err != nil {
		t.Fatalf("tenant create: %q, %v", out, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	env["GUICHET_CLOCK"] = dbtest.Start(t).Format(time.RFC3339)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, func(k string) string { return env[k] }, &out, &errOut)
	}()
	t.Cleanup(func() { cancel(); <-done })
	port := waitFor(t, &out, regexp.MustCompile(`listening on http://127\.0\.0\.1:(\d+)`), done)

	form := url.Values{"name": {"Claude Mercier"}, "email": {"claude.mercier@example.fr"},
		"password": {"Tr4in!Bleu#9-Vert"}, "password_confirm": {"Tr4in!Bleu#9-Vert"}}
	req, _ := http.NewRequest("POST", "http://127.0.0.1:"+port+"/inscription", strings.NewReader(form.Encode()))
	req.Host = "lerouet.localhost"
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("sign-up: %d; %s", res.StatusCode, errOut.String())
	}

	d := dbtest.Open(t, u, nil)
	var hash string
	if err := d.QueryRow(ctx, `SELECT password_hash FROM users WHERE email = ?`, "claude.mercier@example.fr").Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("serve hashed at %q, want OWASP's m=19456,t=2,p=1", hash[:min(len(hash), 32)])
	}
}
