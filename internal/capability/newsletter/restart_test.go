package newsletter_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"guichet/internal/capability/newsletter"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/mailtest"
	"guichet/internal/kernel/tenant"
)

// TestRestartResumesWithoutSendingTwice sends a campaign of 3,000 from a
// second process, kills that process (SIGKILL, no chance to tidy up) in
// the middle of the sending, then resumes in this one: nobody receives
// the campaign twice, everybody not caught in the kill receives it once,
// and those caught (at most what the killed process had claimed) are
// counted as interrupted, not sent again.
func TestRestartResumesWithoutSendingTwice(t *testing.T) {
	t.Parallel()
	for dialect, url := range dbtest.URLs(t) {
		t.Run(string(dialect), func(t *testing.T) {
			t.Parallel()
			restartTest(t, url)
		})
	}
	if dbtest.PostgresURL(t) == "" {
		t.Log("PostgreSQL not configured: SQLite only")
	}
}

const crashSubscribers = 3000

func restartTest(t *testing.T, url string) {
	ctx := context.Background()
	d := dbtest.Open(t, url, sets)
	smtp := mailtest.Start(t, mailtest.WithCountOnly())
	e := newEnv(t, d, smtp.URL, nil)
	if err := e.s.GenerateSubscribers(ctx, e.town.ID, "exemple.fr", crashSubscribers, nil, nil); err != nil {
		t.Fatal(err)
	}
	c := e.campaign(t, "Lettre de décembre")
	c.Rate = 400 // slow enough for the kill to land in the middle
	if err := e.s.SaveCampaign(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := e.s.Schedule(ctx, e.town.ID, c.ID, nil, site); err != nil {
		t.Fatal(err)
	}

	child := exec.Command(os.Args[0])
	child.Env = append(os.Environ(), "NEWSLETTER_CHILD_DB="+url, "NEWSLETTER_CHILD_SMTP="+smtp.URL,
		"NEWSLETTER_CHILD_TENANT="+e.town.ID, "NEWSLETTER_CHILD_CAMPAIGN="+c.ID, "NEWSLETTER_CHILD_TMP="+t.TempDir())
	out, err := os.CreateTemp(t.TempDir(), "child")
	if err != nil {
		t.Fatal(err)
	}
	child.Stdout, child.Stderr = out, out
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, n := smtp.Counts()
		if n >= crashSubscribers/3 {
			break
		}
		if time.Now().After(deadline) {
			_ = child.Process.Kill()
			body, _ := os.ReadFile(out.Name())
			t.Fatalf("the other process sent %d messages in 60 s:\n%s", n, body)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	_, atKill := smtp.Counts()

	// The new process finds the killed one's claims past staleClaim.
	e.advance(3 * time.Minute)
	e.runAll(t, c)
	c, err = e.s.Campaign(ctx, e.town.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	counts, total := smtp.Counts()
	breakdown, err := e.s.Breakdown(ctx, e.town.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	interrupted := breakdown["interrupted"]
	t.Logf("killed after %d messages; then %d in all; sent %d, interrupted %d", atKill, total, c.Sent, interrupted)
	if c.Status != newsletter.CampaignSent || c.Total != crashSubscribers || c.Sent+c.Skipped != crashSubscribers || c.Skipped != interrupted {
		t.Fatalf("campaign: %s, total %d, sent %d, skipped %d, breakdown %v", c.Status, c.Total, c.Sent, c.Skipped, breakdown)
	}
	if interrupted > (4+1)*10 {
		t.Errorf("%d messages interrupted, more than the killed process could have claimed (50)", interrupted)
	}
	for addr, n := range counts {
		if n != 1 {
			t.Errorf("%s received the campaign %d times", addr, n)
		}
	}
	if len(counts) < c.Sent || len(counts) > c.Sent+interrupted {
		t.Errorf("%d addresses received it; %d recorded sent and %d interrupted", len(counts), c.Sent, interrupted)
	}
}

// TestMain runs, in the process TestRestartResumesWithoutSendingTwice
// starts, the sending it kills; otherwise the tests.
func TestMain(m *testing.M) {
	if os.Getenv("NEWSLETTER_CHILD_DB") != "" {
		sendUntilKilled()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// processTB stands for a test in the process that is killed: it only
// ever fails by exiting.
type processTB struct{ testing.TB }

func (processTB) Helper()                   {}
func (processTB) Fatal(args ...any)         { fmt.Fprintln(os.Stderr, args...); os.Exit(2) }
func (processTB) Fatalf(f string, a ...any) { fmt.Fprintf(os.Stderr, f+"\n", a...); os.Exit(2) }
func (processTB) TempDir() string {
	dir, err := os.MkdirTemp(os.Getenv("NEWSLETTER_CHILD_TMP"), "child")
	if err != nil {
		panic(err)
	}
	return dir
}

func sendUntilKilled() {
	ctx := context.Background()
	t := processTB{}
	d, err := db.Open(ctx, os.Getenv("NEWSLETTER_CHILD_DB"))
	if err != nil {
		t.Fatal(err)
	}
	town, err := tenant.NewStore(d).Get(ctx, os.Getenv("NEWSLETTER_CHILD_TENANT"))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, d, os.Getenv("NEWSLETTER_CHILD_SMTP"), town)
	args := newsletter.SendArgs{TenantID: town.ID, CampaignID: os.Getenv("NEWSLETTER_CHILD_CAMPAIGN"), BaseURL: site}
	for {
		wait, err := e.s.Run(ctx, args)
		if err != nil || wait < 0 {
			fmt.Println("run:", wait, err)
			return
		}
	}
}
