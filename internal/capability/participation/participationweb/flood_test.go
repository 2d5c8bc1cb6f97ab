package participationweb_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"guichet/internal/app"
	"guichet/internal/apptest"
	"guichet/internal/capability/participation"
	"guichet/internal/capability/participation/participationweb"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// The spam flood of the acceptance: ten new accounts, a hundred messages
// each, each account from its own address.
const (
	floodAccounts = 10
	floodEach     = 100
)

// flood is a discussion under a spam flood.
type flood struct {
	env     *apptest.Env
	store   *participation.Store
	thread  *participation.Thread
	bots    []*apptest.Browser
	visitor *apptest.Browser
}

// behindProxy makes the loopback a trusted proxy, so that each request's
// X-Forwarded-For stands for its client's address.
func behindProxy() apptest.Option {
	return apptest.WithConfig(func(c *app.Config) { c.TrustedProxies = "127.0.0.1, ::1" })
}

// newFlood opens a space that lets links through and holds nothing by
// rule (the screen alone stands in the way), a discussion an old
// account started, and signs in ten accounts made a minute ago.
func newFlood(t testing.TB, e *apptest.Env) *flood {
	ctx := context.Background()
	store := participationweb.Of(e.App.Kernel).Store
	sp := &participation.Space{TenantID: e.Town.ID, Slug: "vie-du-quartier", Name: "Vie du quartier",
		Rules: participation.Rules{LinksAllowed: true}}
	if err := store.CreateSpace(ctx, sp); err != nil {
		t.Fatal(err)
	}
	elder := e.Resident(e.Town, "ancienne@courriel.example", "Odile Marchal")
	th := &participation.Thread{Kind: participation.Discussion, Title: "Le vide-greniers de mai"}
	since := e.App.Now().Add(-400 * 24 * time.Hour)
	if _, err := store.StartThread(ctx, sp, th, participation.Author{ID: elder.ID, Name: elder.Name, Since: since},
		"Qui tient un stand cette année ?"); err != nil {
		t.Fatal(err)
	}
	f := &flood{env: e, store: store, thread: th, visitor: e.Browser(e.Town)}
	for i := range floodAccounts {
		email := fmt.Sprintf("promo%02d@courriel.example", i)
		e.Resident(e.Town, email, fmt.Sprintf("Bonnes Affaires %d", i))
		b := e.Browser(e.Town)
		b.SignIn(t, email, apptest.Password)
		f.bots = append(f.bots, b)
	}
	return f
}

// spam is the n-th message of bot i: every other one carries a link,
// the others say the same thing again.
func spam(i, n int) string {
	if n%2 == 0 {
		return fmt.Sprintf("Offre n°%d du vendeur %d : des affaires incroyables sur https://promo-%d.example/offre/%d", n, i, i, n)
	}
	return "Contactez-moi en privé pour une offre exceptionnelle, réservée aux habitants du quartier."
}

// run sends every bot's hundred messages, the bots side by side, and
// counts the answers by status.
func (f *flood) run(t testing.TB) map[int]int {
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	path := f.thread.Path() + "/reponses"
	for i, b := range f.bots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			addr := fmt.Sprintf("203.0.113.%d", 10+i)
			for n := range floodEach {
				res := b.Do(http.MethodPost, path, url.Values{"body": {spam(i, n)}}, http.Header{"X-Forwarded-For": {addr}})
				mu.Lock()
				statuses[res.Status]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return statuses
}

// TestASpamFloodIsThrottledAndHeld: of the thousand messages, the abuse
// limit lets thirty per account through and refuses the rest; the
// screen holds every one with a link or said again, so that readers see
// one message per account and the moderators' queue the rest; the
// thread's readers and the home page are served all along.
func TestASpamFloodIsThrottledAndHeld(t *testing.T) {
	t.Parallel()
	apptest.Each(t, func(t *testing.T, e *apptest.Env) {
		f := newFlood(t, e)
		statuses := f.run(t)
		perAccount := participationweb.MessageLimit.Rules[0].Max
		if statuses[http.StatusSeeOther] != floodAccounts*perAccount ||
			statuses[http.StatusTooManyRequests] != floodAccounts*(floodEach-perAccount) {
			t.Fatalf("answers by status: %v, want %d accepted and the rest refused", statuses, floodAccounts*perAccount)
		}
		ctx := context.Background()
		visible, pending := 0, 0
		msgs, err := f.store.Messages(ctx, e.Town.ID, f.thread.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if !m.Opener && m.State == participation.Visible {
				visible++
			}
		}
		if err := e.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM participation_messages WHERE tenant_id = ? AND thread_id = ? AND state = ?`,
			e.Town.ID, f.thread.ID, participation.Pending).Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if visible != floodAccounts || pending != floodAccounts*(perAccount-1) {
			t.Errorf("%d visible and %d held, want %d and %d", visible, pending, floodAccounts, floodAccounts*(perAccount-1))
		}
		th, err := f.store.Thread(ctx, e.Town.ID, f.thread.ID)
		if err != nil || th.Replies != floodAccounts {
			t.Errorf("the thread counts %d replies (%v), want %d", th.Replies, err, floodAccounts)
		}
		page := f.visitor.Get(f.thread.Path()).Want(t, http.StatusOK).Body
		if strings.Contains(page, "promo-") {
			t.Error("a held message with a link is shown to readers")
		}
		q, err := f.store.Queue(ctx, e.Town.ID)
		if err != nil || q.HeldCount != pending {
			t.Errorf("the moderators' queue holds %d messages (%v), want %d", q.HeldCount, err, pending)
		}
	}, behindProxy())
}

// BenchmarkPagesDuringASpamFlood measures a reader's load of the site's
// home page, the participation's home page and the flooded discussion,
// in turn, at rest and while ten new accounts send their thousand
// messages. During the flood, only the loads that began and ended while
// it ran count (the flood is over in well under a second: the rounds go
// on until it is, then the benchmark's own count is made up):
//
//	go test -run '^$' -bench PagesDuringASpamFlood -benchtime 300x -count 3 ./internal/capability/participation/participationweb/
func BenchmarkPagesDuringASpamFlood(b *testing.B) {
	for _, during := range []bool{false, true} {
		b.Run(map[bool]string{false: "rest", true: "flood"}[during], func(b *testing.B) {
			// A fresh town each time the benchmark runs the function: the
			// limits of a first run would refuse a second flood whole.
			url, ok := dbtest.URLs(b)[db.SQLite]
			if !ok {
				b.Fatal("no SQLite")
			}
			f := newFlood(b, apptest.New(b, url, behindProxy()))
			pages := []struct{ name, path string }{{"site", "/"}, {"home", participationweb.HomePath}, {"thread", f.thread.Path()}}
			var flooding atomic.Bool
			done := make(chan map[int]int, 1)
			var floodTook time.Duration
			took := map[string][]time.Duration{}
			round := func() {
				for _, pg := range pages {
					before, start := flooding.Load(), time.Now()
					if res := f.visitor.Get(pg.path); res.Status != http.StatusOK {
						b.Fatalf("%s: %d", pg.path, res.Status)
					}
					if !during || (before && flooding.Load()) {
						took[pg.name] = append(took[pg.name], time.Since(start))
					}
				}
			}
			b.ResetTimer()
			if during {
				flooding.Store(true)
				go func() {
					start := time.Now()
					statuses := f.run(b)
					floodTook = time.Since(start)
					flooding.Store(false)
					done <- statuses
				}()
			}
			n := 0
			for ; n < b.N || flooding.Load(); n++ {
				round()
			}
			b.StopTimer()
			if during {
				statuses := <-done
				b.ReportMetric(float64(statuses[http.StatusSeeOther]), "accepted")
				b.ReportMetric(floodTook.Seconds(), "flood-s")
			}
			for name, list := range took {
				if len(list) == 0 {
					b.Fatalf("no load of %s measured", name)
				}
				sort.Slice(list, func(i, j int) bool { return list[i] < list[j] })
				b.ReportMetric(float64(len(list)), name+"-loads")
				b.ReportMetric(float64(list[len(list)/2].Microseconds()), name+"-p50-µs")
				b.ReportMetric(float64(list[len(list)*99/100].Microseconds()), name+"-p99-µs")
			}
		})
	}
}
