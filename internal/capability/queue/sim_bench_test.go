package queue_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"guichet/internal/capability/queue"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// The day simulation: a mairie open 08:30–17:00 whose visitors arrive as
// a Poisson process of time-varying rate, take a ticket at the kiosk and
// are called by the first free counter; a visit lasts a log-normal time.
// It drives the real Store on SQLite, the fake clock jumping from event
// to event, and compares the wait announced at taking (Ticket.Estimate)
// with the true wait (called minus taken).

// simSeed makes every simulated day the same from run to run.
const simSeed = 20261207

// simAgents hold the simulation's counters, in order.
var simAgents = []queue.Agent{alice, bruno, {ID: "agent-3", Name: "Chloé"}, {ID: "agent-4", Name: "Dylan"}}

// simRate is the arrival rate per open counter and per hour at a local
// time of day, linear between its knots: a quiet opening, a late-morning
// peak, the lunch lull, an after-lunch peak, a quiet end. A counter serves
// about 10 visitors an hour (6-minute visits); over the day the load is
// about 0.8, above 1 for an hour or so around each peak. With 3 counters
// the peaks are about 36 and 33 arrivals an hour, some 200 a day.
var simRate = []struct {
	at   time.Duration // since local midnight
	rate float64       // arrivals per hour per counter
}{
	{8*time.Hour + 30*time.Minute, 4},
	{9 * time.Hour, 6},
	{10 * time.Hour, 10},
	{11 * time.Hour, 12},
	{12 * time.Hour, 9},
	{12*time.Hour + 15*time.Minute, 4},
	{13*time.Hour + 30*time.Minute, 4},
	{14 * time.Hour, 9},
	{14*time.Hour + 30*time.Minute, 11},
	{15*time.Hour + 30*time.Minute, 10},
	{16*time.Hour + 30*time.Minute, 6},
	{17 * time.Hour, 4},
}

func simRateAt(since time.Duration) float64 {
	for i := 1; i < len(simRate); i++ {
		a, b := simRate[i-1], simRate[i]
		if since <= b.at {
			f := float64(since-a.at) / float64(b.at-a.at)
			return a.rate + f*(b.rate-a.rate)
		}
	}
	return 0
}

// simVisit is a visitor's need: a service and a log-normal visit length.
type simVisit struct {
	mix    float64       // share of arrivals
	mean   time.Duration // of the visit
	cv     float64       // coefficient of variation of the visit
	letter string
}

// simMix: most visitors come for the État civil (short visits), a quarter
// for the Action sociale (longer ones); the mean visit is 6 minutes.
var simMix = []simVisit{
	{mix: 0.75, mean: 5 * time.Minute, cv: 0.6, letter: "A"},
	{mix: 0.25, mean: 9 * time.Minute, cv: 0.5, letter: "B"},
}

// simOneService: everyone for the État civil, 6-minute visits.
var simOneService = []simVisit{{mix: 1, mean: 6 * time.Minute, cv: 0.6, letter: "A"}}

type simArrival struct {
	at      time.Time
	service int // index in the mix
	visit   time.Duration
}

// simArrivals draws the day's arrivals for counters counters (thinning a
// Poisson process of the highest rate), each with its visit's length.
func simArrivals(day time.Time, counters int, mix []simVisit, seed uint64) []simArrival {
	r := rand.New(rand.NewPCG(seed, uint64(counters)))
	maxRate := 0.0
	for _, k := range simRate {
		maxRate = max(maxRate, k.rate*float64(counters))
	}
	open, end := simRate[0].at, simRate[len(simRate)-1].at
	var out []simArrival
	for t := float64(open); ; {
		t += r.ExpFloat64() / maxRate * float64(time.Hour)
		since := time.Duration(t)
		if since >= end {
			return out
		}
		if r.Float64()*maxRate >= simRateAt(since)*float64(counters) {
			continue
		}
		a := simArrival{at: day.Add(since.Round(time.Second))}
		u := r.Float64()
		for a.service = 0; a.service < len(mix)-1 && u >= mix[a.service].mix; a.service++ {
			u -= mix[a.service].mix
		}
		v := mix[a.service]
		sigma := math.Sqrt(math.Log(1 + v.cv*v.cv))
		mu := math.Log(v.mean.Minutes()) - sigma*sigma/2
		a.visit = time.Duration(math.Exp(mu+sigma*r.NormFloat64()) * float64(time.Minute)).Round(time.Second)
		out = append(out, a)
	}
}

// simResult sums up a simulated day; durations are in minutes.
type simResult struct {
	tickets   int     // taken, all served by the evening
	estimated int     // tickets that got an estimate
	mae       float64 // mean |announced − true wait| over them
	bias      float64 // mean (announced − true wait): > 0 announces too long
	meanWait  float64 // mean true wait
	maxWait   float64
}

func (r simResult) String() string {
	return fmt.Sprintf("%d tickets (%d estimated): wait %.2f min (max %.1f), estimate MAE %.2f min, bias %+.2f min",
		r.tickets, r.estimated, r.meanWait, r.maxWait, r.mae, r.bias)
}

type simCounter struct {
	c      *queue.Counter
	agent  queue.Agent
	busy   bool
	freeAt time.Time
}

// simSetUp opens counters counters at 08:30 on a fresh database, all
// serving the mix's services; newEnv's services are État civil (A, first
// estimate 6 minutes) and Action sociale (B, 10 minutes).
func simSetUp(tb testing.TB, counters int, mix []simVisit) (*env, []*simCounter) {
	tb.Helper()
	if counters < 1 || counters > len(simAgents) {
		tb.Fatalf("%d counters: between 1 and %d", counters, len(simAgents))
	}
	e := newEnv(tb, dbtest.Open(tb, dbtest.URLs(tb)[db.SQLite], sets))
	ctx := context.Background()
	// newEnv sets 09:00; the doors open at 08:30.
	open := time.Date(2026, 12, 7, 0, 0, 0, 0, e.loc).Add(simRate[0].at)
	e.clock.Add(open.Sub(e.clock.Now()))
	all := []*queue.Counter{e.g1, e.g2}
	for i := len(all); i < counters; i++ {
		c, err := e.s.AddCounter(ctx, e.site, fmt.Sprintf("Guichet %d", i+1))
		if err != nil {
			tb.Fatal(err)
		}
		all = append(all, c)
	}
	var services []*queue.Service
	for _, v := range mix {
		switch v.letter {
		case e.etat.Letter:
			services = append(services, e.etat)
		case e.social.Letter:
			services = append(services, e.social)
		}
	}
	out := make([]*simCounter, counters)
	for i := range out {
		e.open(tb, all[i], simAgents[i], services...)
		out[i] = &simCounter{c: all[i], agent: simAgents[i]}
	}
	return e, out
}

// simulateDay runs one day on e, whose counters are open: arrivals stop
// at 17:00, the counters serve until nobody waits. Events come in time
// order: the counter that frees first, or the next arrival if earlier.
func simulateDay(tb testing.TB, e *env, counters []*simCounter, mix []simVisit, seed uint64) simResult {
	tb.Helper()
	ctx := context.Background()
	byLetter := map[string]*queue.Service{e.etat.Letter: e.etat, e.social.Letter: e.social}
	midnight := time.Date(2026, 12, 7, 0, 0, 0, 0, e.loc)
	arrivals := simArrivals(midnight, len(counters), mix, seed)

	type taken struct {
		estimate time.Duration
		visit    time.Duration
	}
	open := map[string]taken{}
	var res simResult
	var absErr, signed, waits float64
	moveTo := func(at time.Time) {
		if d := at.Sub(e.clock.Now()); d > 0 {
			e.clock.Add(d)
		}
	}
	call := func(c *simCounter) bool {
		tk, err := e.s.CallNext(ctx, e.site, c.c.ID, c.agent)
		if err != nil {
			tb.Fatal(err)
		}
		if tk == nil {
			c.busy = false
			return false
		}
		tt, ok := open[tk.ID]
		if !ok || tk.CalledAt == nil {
			tb.Fatalf("%s called twice, or not called", tk.Label)
		}
		delete(open, tk.ID)
		wait := tk.CalledAt.Sub(tk.CreatedAt).Minutes()
		waits += wait
		res.maxWait = max(res.maxWait, wait)
		if tt.estimate >= 0 {
			d := tt.estimate.Minutes() - wait
			res.estimated++
			signed += d
			absErr += math.Abs(d)
		}
		c.busy, c.freeAt = true, e.clock.Now().Add(tt.visit)
		return true
	}
	for next := 0; ; {
		// At the same instant a counter frees before an arrival.
		var free *simCounter
		for _, c := range counters {
			if c.busy && (free == nil || c.freeAt.Before(free.freeAt)) {
				free = c
			}
		}
		if next < len(arrivals) && (free == nil || arrivals[next].at.Before(free.freeAt)) {
			a := arrivals[next]
			next++
			moveTo(a.at)
			// A kiosk reads the site (its services' averages) for each ticket.
			svc := byLetter[mix[a.service].letter]
			tk, err := e.s.Take(ctx, queue.TakeInput{Site: e.reload(tb), ServiceID: svc.ID, Source: queue.FromKiosk, Loc: e.loc})
			if err != nil {
				tb.Fatal(err)
			}
			res.tickets++
			open[tk.ID] = taken{estimate: tk.Estimate, visit: a.visit}
			// An idle agent calls at once.
			for _, c := range counters {
				if !c.busy && call(c) {
					break
				}
			}
			continue
		}
		if free == nil {
			break
		}
		moveTo(free.freeAt)
		call(free)
	}
	if len(open) > 0 {
		tb.Fatalf("%d tickets never called", len(open))
	}
	if res.tickets > 0 {
		res.meanWait = waits / float64(res.tickets)
	}
	if res.estimated > 0 {
		res.mae, res.bias = absErr/float64(res.estimated), signed/float64(res.estimated)
	}
	return res
}

// BenchmarkQueueDaySimulation simulates one day per iteration on a fresh
// SQLite database, at 2, 3 and 4 counters, with one service or the
// two-service mix (every counter serving both), and reports the estimate's
// mean absolute error and bias, the mean true wait (minutes) and the day's
// tickets. The time is the Store's work for a whole day.
func BenchmarkQueueDaySimulation(b *testing.B) {
	for _, n := range []int{2, 3, 4} {
		for _, m := range []struct {
			name string
			mix  []simVisit
		}{{"services=1", simOneService}, {"services=2", simMix}} {
			b.Run(fmt.Sprintf("counters=%d/%s", n, m.name), func(b *testing.B) {
				var res simResult
				for range b.N {
					b.StopTimer()
					e, counters := simSetUp(b, n, m.mix)
					b.StartTimer()
					res = simulateDay(b, e, counters, m.mix, simSeed)
				}
				b.Log(res)
				b.ReportMetric(res.mae, "mae-min")
				b.ReportMetric(res.meanWait, "wait-min")
				b.ReportMetric(float64(res.tickets), "tickets")
				b.ReportMetric(res.bias, "bias-min")
			})
		}
	}
}

// TestSimulationEstimateIsUseful: over a simulated day at 3 counters,
// with one service and with two services that every counter serves, the
// wait announced at taking is off by less than 40% of the mean true wait,
// or 5 minutes when that is larger. Seen (seed 20261207, SQLite): 194
// tickets, mean wait 12.8 and 12.4 min, MAE 2.6 and 2.5 min against
// bounds of 5.1 and 5.0. An estimate that forgets the counters (ahead ×
// average) gives an MAE of 26 min; one that counts only its own service's
// tickets, where counters serve two, 5.9 min: both fail.
func TestSimulationEstimateIsUseful(t *testing.T) {
	for name, mix := range map[string][]simVisit{"one service": simOneService, "two services": simMix} {
		t.Run(name, func(t *testing.T) {
			e, counters := simSetUp(t, 3, mix)
			res := simulateDay(t, e, counters, mix, simSeed)
			t.Log(res)
			if res.tickets < 150 || res.estimated != res.tickets {
				t.Fatalf("%d tickets, %d with an estimate: the day did not run as planned", res.tickets, res.estimated)
			}
			if bound := max(0.4*res.meanWait, 5); res.mae > bound {
				t.Fatalf("the announced wait is off by %.2f min on average, over %.2f min: %v", res.mae, bound, res)
			}
		})
	}
}

// BenchmarkConsoleCalls: how many calls a second one console sustains,
// each ending the visit under way (folding it into the service's average)
// and calling the next of 100 to 400 waiting tickets.
func BenchmarkConsoleCalls(b *testing.B) {
	e := newEnv(b, dbtest.Open(b, dbtest.URLs(b)[db.SQLite], sets))
	ctx := context.Background()
	e.open(b, e.g1, alice, e.etat)
	const low, batch = 100, 300
	waiting := 0
	fill := func() {
		for range batch {
			e.take(b, e.etat, queue.Normal)
		}
		waiting += batch
	}
	fill()
	b.ResetTimer()
	for range b.N {
		if waiting < low {
			b.StopTimer()
			fill()
			b.StartTimer()
		}
		e.clock.Add(4 * time.Minute)
		tk, err := e.s.CallNext(ctx, e.site, e.g1.ID, alice)
		if err != nil || tk == nil {
			b.Fatalf("call: %v, %v", tk, err)
		}
		waiting--
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
}
