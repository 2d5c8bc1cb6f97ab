package queue_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"guichet/internal/capability/queue"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/live"
)

// TestTicketsRushKeepNumbersUniqueAndGapless: 4 kiosks and 200 phones
// take 2,000 tickets at once; each service's numbers are 1…n, once each.
func TestTicketsRushKeepNumbersUniqueAndGapless(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		const kiosks, phones, total = 4, 200, 2000
		clients := kiosks + phones
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			labels  = map[string][]int{}
			failed  error
			start   = make(chan struct{})
			perEach = total / clients
		)
		for c := range clients {
			n := perEach
			if c < total%clients {
				n++
			}
			source := queue.FromPhone
			if c < kiosks {
				source = queue.FromKiosk
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for i := range n {
					svc := e.etat
					if (c+i)%3 == 0 {
						svc = e.social
					}
					tk, err := e.s.Take(ctx, queue.TakeInput{Site: e.site, ServiceID: svc.ID, Source: source, Loc: e.loc})
					mu.Lock()
					if err != nil {
						failed = errors.Join(failed, err)
					} else {
						labels[svc.Letter] = append(labels[svc.Letter], tk.Number)
					}
					mu.Unlock()
				}
			}()
		}
		close(start)
		wg.Wait()
		if failed != nil {
			t.Fatal(failed)
		}
		got := 0
		for letter, nums := range labels {
			sort.Ints(nums)
			for i, n := range nums {
				if n != i+1 {
					t.Fatalf("service %s: number %d at rank %d: numbers are not 1…%d once each", letter, n, i+1, len(nums))
				}
			}
			got += len(nums)
		}
		if got != total {
			t.Fatalf("%d tickets, want %d", got, total)
		}
		var rows int
		if err := d.QueryRow(ctx, `SELECT COUNT(DISTINCT label) FROM queue_tickets WHERE tenant_id = ?`, e.tenant.ID).Scan(&rows); err != nil || rows != total {
			t.Fatalf("%d distinct labels in the table, want %d (%v)", rows, total, err)
		}
	})
}

func TestNumbersStartAgainEachDay(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a1, a2 := e.take(t, e.etat, queue.Normal), e.take(t, e.etat, queue.Normal)
		b1 := e.take(t, e.social, queue.Normal)
		if a1.Label != "A001" || a2.Label != "A002" || b1.Label != "B001" {
			t.Fatalf("labels %s %s %s", a1.Label, a2.Label, b1.Label)
		}
		e.clock.Add(24 * time.Hour)
		if next := e.take(t, e.etat, queue.Normal); next.Label != "A001" || next.Day != "2026-12-08" {
			t.Fatalf("the next day's first ticket is %s of %s", next.Label, next.Day)
		}
	})
}

// TestCallOrder: a due appointment first, then priority tickets, then by
// arrival; a counter calls only its services; two counters never call the
// same ticket.
func TestCallOrder(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		first := e.take(t, e.etat, queue.Normal)
		e.clock.Add(time.Minute)
		social := e.take(t, e.social, queue.Normal)
		e.clock.Add(time.Minute)
		prio := e.take(t, e.etat, queue.Priority)
		appt, err := e.s.CheckIn(ctx, e.site, &queue.Arrival{Reference: "RDV-2026-AAAAAA", ServiceKey: "etat-civil",
			Start: e.clock.Now().Add(10 * time.Minute)}, "fr", e.loc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.CheckIn(ctx, e.site, &queue.Arrival{Reference: "RDV-2026-AAAAAA", ServiceKey: "etat-civil", Start: e.clock.Now()}, "fr", e.loc); err == nil {
			t.Fatal("the same appointment checked in twice")
		}
		if _, err := e.s.CheckIn(ctx, e.site, &queue.Arrival{Reference: "RDV-2026-BBBBBB", ServiceKey: "urbanisme", Start: e.clock.Now()}, "fr", e.loc); !errors.Is(err, queue.ErrCheckInElsewhere) {
			t.Fatalf("an appointment of a service the site lacks: %v", err)
		}
		e.open(t, e.g1, alice, e.etat)
		call := func(c *queue.Counter, a queue.Agent) string {
			t.Helper()
			tk, err := e.s.CallNext(ctx, e.site, c.ID, a)
			if err != nil {
				t.Fatal(err)
			}
			if tk == nil {
				return ""
			}
			return tk.Label
		}
		if got := call(e.g1, alice); got != prio.Label {
			t.Fatalf("first call %s, want the priority ticket %s (the appointment is not due)", got, prio.Label)
		}
		e.clock.Add(10 * time.Minute)
		if got := call(e.g1, alice); got != appt.Label {
			t.Fatalf("second call %s, want the appointment %s, due now", got, appt.Label)
		}
		if got := call(e.g1, alice); got != first.Label {
			t.Fatalf("third call %s, want %s", got, first.Label)
		}
		if got := call(e.g1, alice); got != "" {
			t.Fatalf("the counter serving État civil called %s of another service", got)
		}
		if _, err := e.s.CallNext(ctx, e.site, e.g1.ID, bruno); !errors.Is(err, queue.ErrCounterTaken) {
			t.Fatalf("another agent called at Alice's counter: %v", err)
		}
		e.open(t, e.g2, bruno, e.social)
		if got := call(e.g2, bruno); got != social.Label {
			t.Fatalf("the social counter called %s, want %s", got, social.Label)
		}
		// Each visit ended by the next call was served.
		var done int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM queue_tickets WHERE state = ?`, queue.Done).Scan(&done); err != nil || done != 3 {
			t.Fatalf("%d tickets done, want 3 (%v)", done, err)
		}
	})
}

func TestTwoCountersNeverCallOneTicket(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		for range 40 {
			e.take(t, e.etat, queue.Normal)
		}
		e.open(t, e.g1, alice, e.etat)
		e.open(t, e.g2, bruno, e.etat)
		site := e.site
		seen := sync.Map{}
		var wg sync.WaitGroup
		var failed error
		var mu sync.Mutex
		for _, pair := range []struct {
			c *queue.Counter
			a queue.Agent
		}{{e.g1, alice}, {e.g2, bruno}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					tk, err := e.s.CallNext(ctx, site, pair.c.ID, pair.a)
					if err != nil {
						mu.Lock()
						failed = errors.Join(failed, err)
						mu.Unlock()
						return
					}
					if tk == nil {
						return
					}
					if _, dup := seen.LoadOrStore(tk.ID, pair.c.Name); dup {
						mu.Lock()
						failed = errors.Join(failed, fmt.Errorf("%s called twice", tk.Label))
						mu.Unlock()
					}
				}
			}()
		}
		wg.Wait()
		if failed != nil {
			t.Fatal(failed)
		}
		n := 0
		seen.Range(func(any, any) bool { n++; return true })
		if n != 40 {
			t.Fatalf("%d tickets called, want 40", n)
		}
	})
}

func TestConsoleActions(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		tk := e.take(t, e.etat, queue.Normal)
		e.open(t, e.g1, alice, e.etat)
		e.open(t, e.g2, bruno, e.social)
		events, cancel, err := e.hub.Subscribe(e.tenant.ID, queue.Topic(e.site.ID))
		if err != nil {
			t.Fatal(err)
		}
		defer cancel()
		if _, err := e.s.CallNext(ctx, e.site, e.g1.ID, alice); err != nil {
			t.Fatal(err)
		}
		if ev := next(t, events, "appel"); ev == "" {
			t.Fatal("no call event")
		}
		if err := e.s.CloseCounter(ctx, e.site, e.g1.ID, alice); !errors.Is(err, queue.ErrBusy) {
			t.Fatalf("closing with a visit under way: %v", err)
		}
		if _, err := e.s.Recall(ctx, e.site, e.g1.ID, alice); err != nil {
			t.Fatal(err)
		}
		// Transfer to the social service: Bruno calls it next.
		if err := e.s.Transfer(ctx, e.site, e.g1.ID, alice, e.social.ID, ""); err != nil {
			t.Fatal(err)
		}
		got, err := e.s.CallNext(ctx, e.site, e.g2.ID, bruno)
		if err != nil || got == nil || got.ID != tk.ID || got.Recalls != 1 {
			t.Fatalf("after the transfer Bruno called %+v, %v", got, err)
		}
		e.clock.Add(4 * time.Minute)
		if err := e.s.Finish(ctx, e.site, e.g2.ID, bruno, queue.Done, "oriente"); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Finish(ctx, e.site, e.g2.ID, bruno, queue.Done, "oriente"); !errors.Is(err, queue.ErrNoTicket) {
			t.Fatalf("finishing twice: %v", err)
		}
		site := e.reload(t)
		// 10 minutes' average moved towards the 4-minute visit.
		if avg := site.Service(e.social.ID).Average; avg >= 10*time.Minute || avg <= 4*time.Minute {
			t.Fatalf("the social service's average is %v", avg)
		}
		absent := e.take(t, e.etat, queue.Normal)
		if _, err := e.s.CallNext(ctx, site, e.g1.ID, alice); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Finish(ctx, site, e.g1.ID, alice, queue.Absent, ""); err != nil {
			t.Fatal(err)
		}
		if a, _ := e.s.Ticket(ctx, e.tenant.ID, absent.ID); a.State != queue.Absent {
			t.Fatalf("the ticket is %s", a.State)
		}
		if err := e.s.SetPaused(ctx, site, e.g1.ID, alice, true); err != nil {
			t.Fatal(err)
		}
		e.take(t, e.etat, queue.Normal)
		if _, err := e.s.CallNext(ctx, e.reload(t), e.g1.ID, alice); err == nil {
			t.Fatal("a paused counter called")
		}
		if err := e.s.CloseCounter(ctx, e.site, e.g1.ID, alice); err != nil {
			t.Fatal(err)
		}
	})
}

func next(t *testing.T, events <-chan live.Event, name string) string {
	t.Helper()
	timeout := time.After(2 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.Name == name {
				return ev.Data
			}
		case <-timeout:
			t.Fatalf("no %q event", name)
		}
	}
}

func TestTicketHandlesAreSignedPerCollectivite(t *testing.T) {
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		tk := e.take(t, e.etat, queue.Normal)
		h := e.s.TicketHandle(tk)
		if got, err := e.s.TicketByHandle(ctx, e.tenant.ID, h); err != nil || got.ID != tk.ID {
			t.Fatalf("own handle: %v", err)
		}
		for _, bad := range []string{tk.ID, tk.ID + ".", tk.ID + ".AAAAAAAAAAAAAAAAAAAAAA", h + "x"} {
			if _, err := e.s.TicketByHandle(ctx, e.tenant.ID, bad); !errors.Is(err, queue.ErrTicketNotFound) {
				t.Fatalf("%q: %v", bad, err)
			}
		}
		if _, err := e.s.TicketByHandle(ctx, "autre-collectivite", h); !errors.Is(err, queue.ErrTicketNotFound) {
			t.Fatal("a handle opened another collectivité's ticket")
		}
		k, err := e.s.AddKiosk(ctx, e.site, "Borne du hall", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		old := e.s.KioskHandle(k)
		if _, err := e.s.KioskByHandle(ctx, e.tenant.ID, old); err != nil {
			t.Fatal(err)
		}
		k, err = e.s.RenewKiosk(ctx, e.tenant.ID, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.KioskByHandle(ctx, e.tenant.ID, old); !errors.Is(err, queue.ErrNotFound) {
			t.Fatal("a renewed kiosk's old address still works")
		}
		if _, err := e.s.KioskByHandle(ctx, e.tenant.ID, e.s.KioskHandle(k)); err != nil {
			t.Fatal(err)
		}
	})
}

func TestEstimateWait(t *testing.T) {
	avg := 6 * time.Minute
	for _, c := range []struct {
		ahead, counters, idle int
		want                  time.Duration
	}{
		{0, 0, 0, -1},
		{0, 2, 1, 0},
		{1, 2, 2, 0},
		{0, 2, 0, 2 * time.Minute},
		{4, 2, 0, 2*time.Minute + 12*time.Minute},
		{4, 1, 0, 3*time.Minute + 24*time.Minute},
	} {
		if got := queue.EstimateWait(c.ahead, c.counters, c.idle, avg); got != c.want {
			t.Errorf("%d ahead, %d counters (%d idle): %v, want %v", c.ahead, c.counters, c.idle, got, c.want)
		}
	}
}
