package appointmentweb_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"guichet/internal/app"
	"guichet/internal/apptest"
	"guichet/internal/capability/appointment"
	"guichet/internal/capability/appointment/appointmentweb"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

const (
	rushClients   = 2000
	rushResources = 10
	clientHeader  = "X-Bench-Client"
)

// BenchmarkBookingRush: 2,000 signed-in residents, each on its own
// connection, wait for 200 slots (10 counters × 20 times) released at once,
// then each reads the free times, picks one at random and books it over the
// JSON API; a loser takes one of the alternatives the 409 answer offers.
// The raw rate of single-row insert transactions on the same database is
// measured in the same run as the physical limit.
func BenchmarkBookingRush(b *testing.B) {
	urls := dbtest.URLs(b)
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			u, ok := urls[dialect]
			if !ok {
				b.Skip("PostgreSQL not configured: set GUICHET_TEST_POSTGRES=postgres://…")
			}
			benchRush(b, u)
		})
	}
}

type rushEnv struct {
	e       *apptest.Env
	server  string
	conns   []*clientConn
	cookies []string
	day     appointment.Day
}

// clientConn is one resident's keep-alive connection. The clients speak
// HTTP/1.1 on it directly, as a load tool would: they share the server's
// two cores, and net/http's client would take a third of them.
type clientConn struct {
	conn net.Conn
	r    *bufio.Reader
}

func benchRush(b *testing.B, dbURL string) {
	e := apptest.New(b, dbURL, apptest.WithConfig(func(c *app.Config) { c.ClientKeyHeader = clientHeader }))
	r := &rushEnv{e: e, cookies: residents(b, e, rushClients), server: e.Server.Listener.Addr().String(),
		conns: make([]*clientConn, rushClients)}
	defer r.close()
	raw := rawInsertRate(b, e.App.DB)
	var confirmed, attempts, serverErrors, doubles int64
	var elapsed, cpu time.Duration
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		slug := r.newAgenda(b, i)
		r.warm(b)
		b.StartTimer()
		res := r.rush(b, slug)
		b.StopTimer()
		elapsed += res.elapsed
		cpu += res.cpu
		confirmed += res.confirmed
		attempts += res.attempts
		serverErrors += res.serverErrors
		d := r.doubleBookings(b, slug)
		doubles += d
		if res.confirmed != 200 || d != 0 || res.serverErrors != 0 {
			b.Errorf("rush %d: %d confirmed (want 200), %d double bookings, %d server errors, %d other answers",
				i, res.confirmed, d, res.serverErrors, res.other)
		}
	}
	n := float64(b.N)
	secs := elapsed.Seconds()
	b.ReportMetric(float64(confirmed)/n, "confirmed")
	b.ReportMetric(float64(doubles)/n, "double_bookings")
	b.ReportMetric(float64(serverErrors)/n, "server_errors")
	b.ReportMetric(float64(attempts)/secs, "bookings/s")
	b.ReportMetric(float64(confirmed)/secs, "confirmed/s")
	b.ReportMetric(raw, "raw_inserts/s")
	b.ReportMetric(100*float64(attempts)/secs/raw, "pct_of_raw")
	b.ReportMetric(float64(elapsed.Milliseconds())/n, "rush_ms")
	b.ReportMetric(float64(cpu.Milliseconds())/n, "cpu_ms")
}

// residents creates n verified residents of the town and signs each in,
// returning their session cookies. Their addresses being verified, their
// bookings are confirmed at once, not held for an emailed confirmation
// (doubleBookings checks that all 200 are booked).
func residents(b *testing.B, e *apptest.Env, n int) []string {
	ctx := tenant.NewContext(context.Background(), e.Town)
	out := make([]string, n)
	for i := range n {
		u, err := e.App.Accounts.CreateVerified(ctx, e.Town.ID, fmt.Sprintf("habitant%04d@courriel.localhost", i), fmt.Sprintf("Habitant %04d", i))
		if err != nil {
			b.Fatal(err)
		}
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "http://montclair.localhost/connexion", nil).WithContext(ctx)
		if err := e.App.Sessions.SignIn(rec, req, u, account.SignInOptions{}); err != nil {
			b.Fatal(err)
		}
		for _, c := range rec.Result().Cookies() {
			if c.Name == account.CookieName {
				out[i] = c.Name + "=" + c.Value
			}
		}
	}
	return out
}

// newAgenda creates a rush agenda with no opening yet: its one day of
// 200 slots is released by rush.
func (r *rushEnv) newAgenda(b *testing.B, i int) string {
	ctx := context.Background()
	s := appointmentweb.Of(r.e.App.Kernel).Store
	loc := r.e.Town.Location()
	r.day = appointment.DayOf(s.Now(), loc).AddDays(10)
	a := &appointment.Agenda{TenantID: r.e.Town.ID, Slug: fmt.Sprintf("ruee-%d", i), ServiceKey: "etat-civil", Service: "État civil", Name: "Passeports, ouverture des créneaux",
		Step: 20 * time.Minute, WindowDays: 30, Hold: time.Hour, Active: true,
		Types: []appointment.Type{{Slug: "passeport", Name: "Passeport", Duration: 20 * time.Minute, OnePerPerson: true}}}
	for k := range rushResources {
		a.Resources = append(a.Resources, appointment.Resource{Name: fmt.Sprintf("Station %d", k+1), Position: k})
	}
	if err := s.CreateAgenda(ctx, a); err != nil {
		b.Fatal(err)
	}
	return a.Slug
}

// release opens the day: 09:00–12:20 and 14:00–17:20, 20 times per counter.
func (r *rushEnv) release(b *testing.B, slug string) {
	ctx := context.Background()
	s := appointmentweb.Of(r.e.App.Kernel).Store
	a, err := s.Agenda(ctx, r.e.Town.ID, slug)
	if err != nil {
		b.Fatal(err)
	}
	for _, span := range [][2]int{{9 * 60, 12*60 + 20}, {14 * 60, 17*60 + 20}} {
		if err := s.AddException(ctx, r.e.Town.ID, &appointment.Exception{AgendaID: a.ID, Day: r.day.String(),
			Start: span[0], End: span[1], Kind: appointment.Open, Reason: "ouverture des créneaux"}); err != nil {
			b.Fatal(err)
		}
	}
}

// warm opens one connection per client, as browsers already on the page would.
func (r *rushEnv) warm(b *testing.B) {
	var wg sync.WaitGroup
	for i := range rushClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, _ := r.do("GET", "/api/v1/me", i, nil)
			if status != http.StatusOK {
				b.Errorf("warm-up of client %d: status %d", i, status)
			}
		}()
	}
	wg.Wait()
}

// do sends one request on the client's connection (opened on first use)
// and reads the whole answer; -1 stands for a network failure.
func (r *rushEnv) do(method, path string, client int, body any) (int, []byte) {
	c := r.conns[client]
	if c == nil {
		conn, err := net.DialTimeout("tcp", r.server, 30*time.Second)
		if err != nil {
			return -1, nil
		}
		c = &clientConn{conn: conn, r: bufio.NewReader(conn)}
		r.conns[client] = c
	}
	var req bytes.Buffer
	fmt.Fprintf(&req, "%s %s HTTP/1.1\r\nHost: montclair.localhost\r\nCookie: %s\r\n%s: 10.0.%d.%d\r\n",
		method, path, r.cookies[client], clientHeader, client/250, client%250)
	if body != nil {
		j, _ := json.Marshal(body)
		fmt.Fprintf(&req, "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(j))
		req.Write(j)
	} else {
		req.WriteString("\r\n")
	}
	_ = c.conn.SetDeadline(time.Now().Add(60 * time.Second))
	if _, err := c.conn.Write(req.Bytes()); err != nil {
		return -1, nil
	}
	res, err := http.ReadResponse(c.r, nil)
	if err != nil {
		return -1, nil
	}
	out, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return -1, nil
	}
	return res.StatusCode, out
}

func (r *rushEnv) close() {
	for _, c := range r.conns {
		if c != nil {
			c.conn.Close()
		}
	}
}

type rushResult struct {
	confirmed, attempts, serverErrors, other int64
	elapsed, cpu                             time.Duration
}

// startsIn returns the start times listed in a JSON answer of the API,
// as sent: the client echoes one back. It searches the bytes, as a load
// tool's script would, rather than decoding the JSON: the clients share
// the server's two cores (TestBookingAPI checks it on real answers).
func startsIn(body []byte) []string {
	const key = `"start":"`
	var out []string
	for {
		i := bytes.Index(body, []byte(key))
		if i < 0 {
			return out
		}
		body = body[i+len(key):]
		j := bytes.IndexByte(body, '"')
		if j < 0 {
			return out
		}
		out = append(out, string(body[:j]))
		body = body[j:]
	}
}

func (r *rushEnv) rush(b *testing.B, slug string) rushResult {
	var res rushResult
	var wg sync.WaitGroup
	start := make(chan struct{})
	slotsPath := "/api/v1/rendez-vous/agendas/" + slug + "/types/passeport/creneaux?du=" + r.day.String() + "&au=" + r.day.String()
	for i := range rushClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			status, body := r.do("GET", slotsPath, i, nil)
			if status != http.StatusOK || !bytes.HasPrefix(body, []byte(`{"slots":[`)) {
				atomic.AddInt64(&res.serverErrors, 1)
				return
			}
			choices := startsIn(body)
			for try := 0; try < 20 && len(choices) > 0; try++ {
				pick := choices[rand.IntN(len(choices))]
				status, body := r.do("POST", "/api/v1/rendez-vous/reservations", i, map[string]any{"agenda": slug,
					"type": "passeport", "start": pick, "name": fmt.Sprintf("Habitant %04d", i), "phone": "0611223344"})
				atomic.AddInt64(&res.attempts, 1)
				switch {
				case status == http.StatusCreated:
					atomic.AddInt64(&res.confirmed, 1)
					return
				case status == http.StatusConflict:
					choices = startsIn(body)
				case status >= 500 || status < 0:
					atomic.AddInt64(&res.serverErrors, 1)
					return
				default:
					atomic.AddInt64(&res.other, 1)
					return
				}
			}
		}()
	}
	r.release(b, slug)
	var ru0, ru1 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	t0 := time.Now()
	close(start)
	wg.Wait()
	res.elapsed = time.Since(t0)
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	res.cpu = time.Duration(ru1.Utime.Nano() + ru1.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano())
	return res
}

// doubleBookings counts units of time booked twice on a counter, read
// from the bookings themselves (not from the units that guarantee it).
func (r *rushEnv) doubleBookings(b *testing.B, slug string) int64 {
	ctx := context.Background()
	a, err := appointmentweb.Of(r.e.App.Kernel).Store.Agenda(ctx, r.e.Town.ID, slug)
	if err != nil {
		b.Fatal(err)
	}
	var n int64
	err = r.e.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_bookings x JOIN appointment_bookings y
		ON y.tenant_id = x.tenant_id AND y.resource_id = x.resource_id AND y.id < x.id
		AND y.starts_at < x.busy_until AND x.starts_at < y.busy_until
		WHERE x.tenant_id = ? AND x.agenda_id = ? AND x.status <> 'cancelled' AND y.status <> 'cancelled'`,
		r.e.Town.ID, a.ID).Scan(&n)
	if err != nil {
		b.Fatal(err)
	}
	var booked int64
	if err := r.e.App.DB.QueryRow(ctx, `SELECT COUNT(*) FROM appointment_bookings WHERE tenant_id = ? AND agenda_id = ? AND status = 'booked'`,
		r.e.Town.ID, a.ID).Scan(&booked); err != nil {
		b.Fatal(err)
	}
	if booked != 200 {
		b.Errorf("%d bookings stored, want 200", booked)
	}
	return n
}

// rawInsertRate measures single-row insert transactions per second on d,
// 4,000 of them from 32 goroutines, through the same transaction API.
func rawInsertRate(b *testing.B, d *db.DB) float64 {
	ctx := context.Background()
	if _, err := d.Exec(ctx, `CREATE TABLE bench_raw_insert (id TEXT PRIMARY KEY, n BIGINT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	const total, workers = 4000, 32
	var next atomic.Int64
	var wg sync.WaitGroup
	t0 := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := next.Add(1); k <= total; k = next.Add(1) {
				err := d.InTx(ctx, func(tx *db.Tx) error {
					_, err := tx.Exec(ctx, `INSERT INTO bench_raw_insert (id, n) VALUES (?, ?)`, uuid.NewString(), k)
					return err
				})
				if err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return total / time.Since(t0).Seconds()
}
