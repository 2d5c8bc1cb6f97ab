package newsletter_test

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"guichet/internal/capability/newsletter"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/mailtest"
)

// BenchmarkCampaign sends a campaign to NEWSLETTER_BENCH_SUBSCRIBERS
// (100,000 by default) seeded subscribers through the in-process SMTP
// server, and in the same run measures the server's raw rate: as many
// messages already rendered, sent over as many kept connections with no
// database at all. It reports both rates and their ratio, on SQLite and,
// when configured, PostgreSQL, with the sending's deployed settings (4
// connections, chunks of 20). Run it with -benchtime=1x:
//
//	go test -run '^$' -bench Campaign -benchtime=1x ./internal/capability/newsletter/
func BenchmarkCampaign(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("NEWSLETTER_BENCH_SUBSCRIBERS")); err == nil && v > 0 {
		n = v
	}
	for dialect, url := range dbtest.URLs(b) {
		b.Run(string(dialect), func(b *testing.B) {
			for range b.N {
				benchCampaign(b, dbtest.Open(b, url, sets), n)
			}
		})
	}
}

func benchCampaign(b *testing.B, d *db.DB, n int) {
	ctx := context.Background()
	smtp := mailtest.Start(b, mailtest.WithCountOnly())
	e := newEnvWith(b, d, smtp.URL, nil, time.Minute, 0) // the deployed chunk
	if err := e.s.GenerateSubscribers(ctx, e.town.ID, "exemple.fr", n, nil, nil); err != nil {
		b.Fatal(err)
	}
	c := e.campaign(b, "Lettre de décembre")

	// The SMTP server alone: the same message, rendered once, over four
	// kept connections.
	email, err := newsletter.Render(c, e.town, "fr", newsletter.RenderOptions{BaseURL: site})
	if err != nil {
		b.Fatal(err)
	}
	bulk := e.outbox.Bulk()
	start := time.Now()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := bulk.Open(ctx)
			if err != nil {
				b.Error(err)
				return
			}
			defer conn.Close()
			for i := w; i < n; i += 4 {
				to := "brut-" + strconv.Itoa(i) + "@exemple.fr"
				if err := conn.Send(bulk.Envelope(e.town, to), email.Personalise("jeton", "", site, "<lettre.montclair.localhost>")); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	raw := float64(n) / time.Since(start).Seconds()

	b.ResetTimer()
	start = time.Now()
	if err := e.s.Schedule(ctx, e.town.ID, c.ID, nil, site); err != nil {
		b.Fatal(err)
	}
	e.runAll(b, c)
	campaign := float64(n) / time.Since(start).Seconds()
	b.StopTimer()

	c, _ = e.s.Campaign(ctx, e.town.ID, c.ID)
	counts, total := smtp.Counts()
	if c.Sent != n || total != 2*n {
		b.Fatalf("sent %d of %d; the server received %d messages", c.Sent, n, total)
	}
	for i := 1; i <= n; i += n / 100 {
		if got := counts["abonne-"+strconv.Itoa(i)+"@exemple.fr"]; got != 1 {
			b.Fatalf("abonne-%d received %d messages", i, got)
		}
	}
	b.ReportMetric(raw, "raw-msgs/s")
	b.ReportMetric(campaign, "campaign-msgs/s")
	b.ReportMetric(campaign/raw, "ratio")
}
