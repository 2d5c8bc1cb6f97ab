// Command rush books an agenda as a crowd would when passport slots are
// released, from outside the server's process: each client on its own
// keep-alive connection and with its own address (sent as
// X-Forwarded-For: run the server with --trusted-proxies 127.0.0.1), reads
// the free times, then books through the resident's form as a browser does
// (details form, then its POST with a browser's Origin and Sec-Fetch-Site;
// a loser picks among the next times the answer offers). It then counts
// the answers and checks the database: as many bookings as places, no
// resource booked twice at once. Loopback only; every loop is bounded.
//
//	guichet seed appointments --tenant montclair --rush-places 200 --data DIR
//	go run ./scripts/rush --agenda ruee-xxxxxx --places 200 --database-url sqlite:DIR/guichet.db
//
// scripts/rushrun does both against a fresh demo.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"guichet/internal/kernel/db"
)

func main() {
	var o options
	flag.StringVar(&o.addr, "addr", "127.0.0.1:18180", "server's address, on loopback")
	flag.StringVar(&o.host, "host", "montclair.localhost", "collectivité's host name")
	flag.StringVar(&o.tenant, "tenant", "montclair", "collectivité's identifier, for the database check")
	flag.StringVar(&o.agenda, "agenda", "", "agenda's slug (guichet seed appointments --rush-places prints it)")
	flag.StringVar(&o.typ, "type", "passeport", "appointment type's slug")
	flag.IntVar(&o.clients, "clients", 2000, "clients, each on its own connection and address (at most 10,000)")
	flag.IntVar(&o.places, "places", 200, "places the agenda offers: as many bookings are expected")
	flag.StringVar(&o.read, "read", "page", "how clients read the free times: page (the time-choosing page) or api (the JSON list of the whole window)")
	flag.StringVar(&o.dbURL, "database-url", "", "the server's database, to count its bookings after the rush (sqlite:PATH or postgres://…)")
	flag.DurationVar(&o.timeout, "timeout", 60*time.Second, "longest a run may last")
	flag.IntVar(&o.serverPID, "server-pid", 0, "the server's process, to report the CPU time it spent on the rush (Linux)")
	flag.StringVar(&o.bookedOut, "booked-out", "", "file to write the email of every client told its booking is confirmed, one per line")
	flag.BoolVar(&o.nodeKilled, "node-killed", false, "a server is killed during the rush: its answers in flight fail, and what is checked is that no place is booked twice or more than offered")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "rush:", err)
		os.Exit(1)
	}
}

type options struct {
	addr, host, tenant, agenda, typ, read, dbURL, bookedOut string
	clients, places, serverPID                              int
	nodeKilled                                              bool
	timeout                                                 time.Duration
}

// maxTries bounds one client's booking attempts.
const maxTries = 20

func run(o options) error {
	host, _, err := net.SplitHostPort(o.addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--addr %q: a loopback address and port, such as 127.0.0.1:18180", o.addr)
	}
	switch {
	case o.agenda == "":
		return errors.New("--agenda is required")
	case o.clients < 1 || o.clients > 10_000:
		return errors.New("--clients: between 1 and 10,000")
	case o.read != "page" && o.read != "api":
		return errors.New("--read: page or api")
	}
	r := &rush{o: o, conns: make([]*conn, o.clients), deadline: time.Now().Add(o.timeout)}
	defer r.close()
	fmt.Printf("load before: %s", loadavg())
	if err := r.warm(); err != nil {
		return err
	}
	cpu0 := processCPU(o.serverPID)
	res := r.run()
	serverCPU := processCPU(o.serverPID) - cpu0
	fmt.Printf("load after:  %s", loadavg())
	fmt.Printf("%d clients, %s read, %d places: %d booked, %d booking attempts, %d lost races, %d gave up, %d server errors, %d other answers\n",
		o.clients, o.read, o.places, res.booked.Load(), res.attempts.Load(), res.lost.Load(), res.gaveUp.Load(),
		res.serverErrors.Load(), res.other.Load())
	fmt.Printf("rush: %d ms from the first request to the last answer; CPU: client %d ms, server %s; %d requests\n",
		res.elapsed.Milliseconds(), res.cpu.Milliseconds(), serverMS(o.serverPID, serverCPU), res.requests.Load())
	fmt.Printf("last place booked %d ms after the start; statuses: %s\n", time.Duration(res.lastBooked.Load()).Milliseconds(), res.statuses())
	if o.bookedOut != "" {
		if err := os.WriteFile(o.bookedOut, []byte(strings.Join(res.confirmed, "\n")+"\n"), 0o600); err != nil {
			return err
		}
	}
	ok := res.booked.Load() == int64(o.places) && res.serverErrors.Load() == 0
	if o.nodeKilled { // some clients lost their answer with the node; none may have been told twice
		ok = res.booked.Load() <= int64(o.places)
	}
	if o.dbURL != "" {
		stored, doubles, err := check(o)
		if err != nil {
			return err
		}
		fmt.Printf("database: %d bookings not cancelled, %d pairs of bookings of one station overlapping\n", stored, doubles)
		if o.nodeKilled {
			ok = ok && stored >= res.booked.Load() && stored <= int64(o.places) && doubles == 0
		} else {
			ok = ok && stored == int64(o.places) && doubles == 0
		}
	} else {
		fmt.Println("database: not checked (no --database-url)")
		ok = false
	}
	if !ok {
		if o.nodeKilled {
			return errors.New("FAILED: want no place booked twice, no more bookings than places, and every booking told stored")
		}
		return errors.New("FAILED: want every place booked once, no double booking, no server error")
	}
	fmt.Println("OK")
	return nil
}

type rush struct {
	o        options
	conns    []*conn
	deadline time.Time
}

type conn struct {
	c  net.Conn
	br *bufio.Reader
	// req and body are reused from one request to the next: the clients
	// share the server's cores. body holds the last answer until the next.
	req, body bytes.Buffer
}

type result struct {
	mu                                                            sync.Mutex
	confirmed                                                     []string // the emails of the clients told their booking is made
	booked, attempts, lost, gaveUp, serverErrors, other, requests atomic.Int64
	codes                                                         sync.Map // status → *atomic.Int64
	elapsed, cpu                                                  time.Duration
	start                                                         time.Time
	lastBooked                                                    atomic.Int64 // nanoseconds after start
}

func (res *result) count(status int) {
	res.requests.Add(1)
	v, _ := res.codes.LoadOrStore(status, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}

func (res *result) statuses() string {
	var codes []int
	res.codes.Range(func(k, _ any) bool { codes = append(codes, k.(int)); return true })
	sort.Ints(codes)
	var b strings.Builder
	for _, c := range codes {
		v, _ := res.codes.Load(c)
		name := fmt.Sprint(c)
		if c < 0 {
			name = "network error"
		}
		fmt.Fprintf(&b, "%s×%d ", name, v.(*atomic.Int64).Load())
	}
	return b.String()
}

// addr is client i's own address: 10.x.y.z.
func addr(i int) string { return fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255) }

// warm opens every client's connection with a visit to the agenda's
// page, as browsers waiting for the release would have.
func (r *rush) warm() error {
	var wg sync.WaitGroup
	var failed atomic.Int64
	var res result
	for i := range r.o.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if status, _, _ := r.do(i, "GET", "/rendez-vous/"+r.o.agenda, nil, &res); status != http.StatusOK {
				failed.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		return fmt.Errorf("warm-up: %d clients could not open the agenda's page (statuses: %s)", n, res.statuses())
	}
	return nil
}

func (r *rush) run() *result {
	res := &result{}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range r.o.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r.client(i, res)
		}()
	}
	var ru0, ru1 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	t0 := time.Now()
	res.start = t0
	close(start)
	wg.Wait()
	res.elapsed = time.Since(t0)
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	res.cpu = time.Duration(ru1.Utime.Nano() + ru1.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano())
	return res
}

// client reads the free times, then books one: the details form of a
// time picked at random, then its POST; a lost race answers with the next
// free times, among which it picks again.
func (r *rush) client(i int, res *result) {
	base := "/rendez-vous/" + r.o.agenda + "/" + r.o.typ
	var status int
	var body []byte
	var choices []string
	if r.o.read == "api" {
		status, body, _ = r.do(i, "GET", "/api/v1/rendez-vous/agendas/"+r.o.agenda+"/types/"+r.o.typ+"/creneaux", nil, res)
		choices = between(body, `"start":"`, `"`)
	} else {
		status, body, _ = r.do(i, "GET", base, nil, res)
		choices = linkedTimes(body)
	}
	if !r.tally(status, res) {
		return
	}
	// Addresses and pre-application numbers of this run's own: the
	// collectivité refuses a number or an address already holding a
	// booking, and counts attempts per address.
	run := r.o.agenda[strings.LastIndexByte(r.o.agenda, '-')+1:]
	form := url.Values{"name": {fmt.Sprintf("Habitant %05d", i)}, "email": {fmt.Sprintf("habitant%05d.%s@courriel.localhost", i, run)},
		"phone": {"06 11 22 33 44"}, "ants": {fmt.Sprintf("%.6s%04d", strings.ToUpper(run+"RUEE00"), i)}}
	for try := 0; try < maxTries; try++ {
		if len(choices) == 0 {
			res.gaveUp.Add(1) // nothing left to pick: every place is taken
			return
		}
		pick := choices[rand.IntN(len(choices))]
		status, _, _ = r.do(i, "GET", base+"/coordonnees?debut="+url.QueryEscape(pick), nil, res)
		if !r.tally(status, res) {
			return
		}
		form.Set("debut", pick)
		res.attempts.Add(1)
		var loc string
		status, body, loc = r.do(i, "POST", base+"/coordonnees", form, res)
		switch {
		case status == http.StatusSeeOther && strings.HasPrefix(loc, "/rendez-vous/gerer/"):
			res.booked.Add(1)
			res.mu.Lock()
			res.confirmed = append(res.confirmed, form.Get("email"))
			res.mu.Unlock()
			for at := int64(time.Since(res.start)); ; {
				last := res.lastBooked.Load()
				if at <= last || res.lastBooked.CompareAndSwap(last, at) {
					break
				}
			}
			status, _, _ = r.do(i, "GET", loc, nil, res) // the page the browser lands on
			r.tally(status, res)
			return
		case status == http.StatusConflict:
			res.lost.Add(1)
			choices = linkedTimes(body)
		default:
			r.tally(status, res)
			return
		}
	}
	res.gaveUp.Add(1)
}

// tally counts an answer that is not a 200 as a server error (5xx or the
// connection lost) or another answer, and reports whether it was a 200.
func (r *rush) tally(status int, res *result) bool {
	switch {
	case status == http.StatusOK:
		return true
	case status >= 500 || status < 0:
		res.serverErrors.Add(1)
	default:
		res.other.Add(1)
	}
	return false
}

// linkedTimes returns the start times of a page's links to the details form.
func linkedTimes(body []byte) []string {
	var out []string
	for _, v := range between(body, "coordonnees?debut=", `"`) {
		if t, err := url.QueryUnescape(v); err == nil {
			out = append(out, t)
		}
	}
	return out
}

// between returns what lies between each open and the next end in body,
// found by a byte search: the clients share the server's two cores.
func between(body []byte, open, end string) []string {
	var out []string
	for {
		i := bytes.Index(body, []byte(open))
		if i < 0 {
			return out
		}
		body = body[i+len(open):]
		j := bytes.Index(body, []byte(end))
		if j < 0 {
			return out
		}
		out = append(out, string(body[:j]))
		body = body[j:]
	}
}

// do sends one request on client i's connection, opening it as needed,
// and reads the whole answer with its Location; the status is -1 when the
// network failed.
func (r *rush) do(i int, method, path string, form url.Values, res *result) (int, []byte, string) {
	// A GET is sent again once on a new connection if the kept one failed;
	// a POST never is: the server may have booked it.
	for attempt := 0; attempt < 2 && (attempt == 0 || method == "GET"); attempt++ {
		c := r.conns[i]
		if c == nil {
			nc, err := net.DialTimeout("tcp", r.o.addr, 10*time.Second)
			if err != nil {
				break
			}
			c = &conn{c: nc, br: bufio.NewReaderSize(nc, 16<<10)}
			r.conns[i] = c
		}
		req := &c.req
		req.Reset()
		fmt.Fprintf(req, "%s %s HTTP/1.1\r\nHost: %s\r\nX-Forwarded-For: %s\r\nUser-Agent: guichet-rush\r\nAccept: text/html,application/json\r\n",
			method, path, r.o.host, addr(i))
		if form != nil {
			b := form.Encode()
			// A browser's POST from the site's own page: what the server's
			// cross-origin protection checks.
			fmt.Fprintf(req, "Origin: http://%s\r\nSec-Fetch-Site: same-origin\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s",
				r.o.host, len(b), b)
		} else {
			req.WriteString("\r\n")
		}
		_ = c.c.SetDeadline(r.deadline)
		status, loc, closed, err := exchange(c)
		if err == nil {
			if closed { // the next request opens a new connection
				c.c.Close()
				r.conns[i] = nil
			}
			res.count(status)
			return status, c.body.Bytes(), loc
		}
		c.c.Close()
		r.conns[i] = nil
		if time.Now().After(r.deadline) {
			break
		}
	}
	res.count(-1)
	return -1, nil, ""
}

// exchange writes c.req on c and reads the answer into c.body; closed
// says that the server closes the connection after it.
func exchange(c *conn) (status int, loc string, closed bool, err error) {
	if _, err := c.c.Write(c.req.Bytes()); err != nil {
		return 0, "", false, err
	}
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		return 0, "", false, err
	}
	c.body.Reset()
	_, err = c.body.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, "", false, err
	}
	return resp.StatusCode, resp.Header.Get("Location"), resp.Close, nil
}

func (r *rush) close() {
	for _, c := range r.conns {
		if c != nil {
			c.c.Close()
		}
	}
}

// check counts, in the database, the agenda's bookings not cancelled and
// the pairs of them on one station whose times overlap (buffers included).
func check(o options) (stored, doubles int64, err error) {
	ctx := context.Background()
	d, err := db.Open(ctx, o.dbURL)
	if err != nil {
		return 0, 0, err
	}
	defer d.Close()
	var tenantID, agendaID string
	if err := d.QueryRow(ctx, `SELECT a.tenant_id, a.id FROM appointment_agendas a JOIN tenants t ON t.id = a.tenant_id
		WHERE t.slug = ? AND a.slug = ?`, o.tenant, o.agenda).Scan(&tenantID, &agendaID); err != nil {
		return 0, 0, fmt.Errorf("agenda %s of %s: %w", o.agenda, o.tenant, err)
	}
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_bookings WHERE tenant_id = ? AND agenda_id = ? AND status <> 'cancelled'`,
		tenantID, agendaID).Scan(&stored); err != nil {
		return 0, 0, err
	}
	err = d.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_bookings x JOIN appointment_bookings y
		ON y.tenant_id = x.tenant_id AND y.resource_id = x.resource_id AND y.id < x.id
		AND y.starts_at < x.busy_until AND x.starts_at < y.busy_until
		WHERE x.tenant_id = ? AND x.agenda_id = ? AND x.status <> 'cancelled' AND y.status <> 'cancelled'`,
		tenantID, agendaID).Scan(&doubles)
	return stored, doubles, err
}

// processCPU returns the user and system CPU time of process pid so
// far, from /proc (0 when unknown).
func processCPU(pid int) time.Duration {
	if pid == 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command's name, which ends with the last ')':
	// utime and stime are the 12th and 13th of them, in clock ticks.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	var ut, st int64
	fmt.Sscan(f[11], &ut)
	fmt.Sscan(f[12], &st)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ is 100 on Linux
}

func serverMS(pid int, d time.Duration) string {
	if pid == 0 {
		return "not measured (no --server-pid)"
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown\n"
	}
	return string(b)
}
