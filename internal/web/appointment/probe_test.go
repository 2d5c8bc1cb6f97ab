package appointmentweb_test

import (
	"context"
	"net"
	"net/http"
	"guichet/internal/app"
	"guichet/internal/apptest"
	"sync"
	"testing"
	"time"
)

func BenchmarkProbeGets(b *testing.B) {
	urls := map[string]string{"sqlite": ""}
	_ = urls
	e := setupProbe(b)
	for _, path := range []string{"/api/v1/me", "/api/v1/rendez-vous/agendas/ruee-0/types/passeport/creneaux?du=" + e.day.String() + "&au=" + e.day.String()} {
		var wg sync.WaitGroup
		t0 := time.Now()
		for i := range rushClients {
			wg.Add(1)
			go func() { defer wg.Done(); e.do("GET", path, i, nil) }()
		}
		wg.Wait()
		b.Logf("%s: %v", path, time.Since(t0))
	}
	a, _ := e.e.App.Appointments.Agenda(context.Background(), e.e.Town.ID, "ruee-0")
	loc := e.e.App.Appointments.Location("Europe/Paris")
	free, _, _ := e.e.App.Appointments.Free(context.Background(), a, loc, a.Type("passeport"), e.day, e.day)
	var wg sync.WaitGroup
	t0 := time.Now()
	for i := range rushClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.do("POST", "/api/v1/rendez-vous/reservations", i, map[string]any{"agenda": "ruee-0", "type": "passeport", "start": free[i%len(free)].Start, "name": "X Y", "phone": "0611223344"})
		}()
	}
	wg.Wait()
	b.Logf("posts: %v", time.Since(t0))
}

func setupProbe(b *testing.B) *rushEnv {
	u := "sqlite:" + b.TempDir() + "/p.db"
	e := apptest.New(b, u, apptest.WithConfig(func(c *app.Config) { c.ClientKeyHeader = clientHeader }))
	r := &rushEnv{e: e, cookies: residents(b, e, rushClients)}
	server := e.Server.Listener.Addr().String()
	r.client = &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, server)
		}, MaxIdleConns: 3000, MaxIdleConnsPerHost: 3000}}
	r.newAgenda(b, 0)
	r.release(b, "ruee-0")
	r.warm(b)
	return r
}
