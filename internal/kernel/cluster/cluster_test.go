package cluster_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"guichet/internal/kernel/cluster"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/live"
)

// node is one process's side in these tests: its own connections to the
// shared schema, its bus, hub and link.
type node struct {
	d    *db.DB
	bus  *invalidate.Bus
	hub  *live.Hub
	link *cluster.Link
	mu   sync.Mutex
	got  []invalidate.Change
	seen chan invalidate.Change
}

func startNode(t *testing.T, url string) *node {
	t.Helper()
	n := &node{d: dbtest.Open(t, url, nil), bus: invalidate.New(), hub: live.NewHub(), seen: make(chan invalidate.Change, 64)}
	n.bus.Register(invalidate.Cache{Name: "test", Holds: []invalidate.Kind{invalidate.Bookings, invalidate.Tenant},
		Drop: func(c invalidate.Change) {
			n.mu.Lock()
			n.got = append(n.got, c)
			n.mu.Unlock()
			n.seen <- c
		}})
	link, err := cluster.Start(context.Background(), n.d, n.bus, n.hub, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { link.Close() })
	n.link = link
	return n
}

func twoNodes(t *testing.T) (a, b *node) {
	pg := dbtest.PostgresURL(t)
	if pg == "" {
		t.Skip("PostgreSQL not configured: set GUICHET_TEST_POSTGRES=postgres://…")
	}
	url := dbtest.URLs(t)[db.Postgres]
	return startNode(t, url), startNode(t, url)
}

func waitChange(t *testing.T, n *node, within time.Duration) invalidate.Change {
	t.Helper()
	select {
	case c := <-n.seen:
		return c
	case <-time.After(within):
		t.Fatalf("no change heard within %v", within)
		return invalidate.Change{}
	}
}

func TestAChangeOnOneNodeReachesTheOtherWithin100ms(t *testing.T) {
	t.Parallel()
	a, b := twoNodes(t)
	want := invalidate.Change{Kind: invalidate.Bookings, TenantID: "t1", Key: "agenda-7"}
	a.bus.Changed(context.Background(), want)
	if got := waitChange(t, a, time.Second); got.Remote {
		t.Errorf("the announcing node's own cache got %+v; want it local", got)
	}
	start := time.Now()
	got := waitChange(t, b, 100*time.Millisecond)
	t.Logf("heard on the other node after %v", time.Since(start))
	want.Remote = true
	if got != want {
		t.Errorf("node B heard %+v, want %+v", got, want)
	}
	// A node does not hear its own notification a second time.
	select {
	case c := <-a.seen:
		t.Errorf("node A heard its own change again: %+v", c)
	case <-time.After(150 * time.Millisecond):
	}
}

func TestNodesOnAnotherSchemaHearNothing(t *testing.T) {
	t.Parallel()
	a, _ := twoNodes(t)
	other, _ := twoNodes(t)
	a.bus.Changed(context.Background(), invalidate.Change{Kind: invalidate.Tenant})
	<-a.seen
	select {
	case c := <-other.seen:
		t.Errorf("a node of another schema heard %+v", c)
	case <-time.After(200 * time.Millisecond):
	}
}

func TestAnEventPublishedOnOneNodeReachesSubscribersOfTheOther(t *testing.T) {
	t.Parallel()
	a, b := twoNodes(t)
	events, cancel, _ := b.hub.Subscribe("t1", "case:42")
	defer cancel()
	other, cancelOther, _ := b.hub.Subscribe("t2", "case:42")
	defer cancelOther()
	e := live.Event{TenantID: "t1", Topic: "case:42", Name: "message", Data: "Nouveau message\nde la mairie"}
	if err := a.hub.Publish(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-events:
		if got != e {
			t.Errorf("got %+v, want %+v", got, e)
		}
	case <-time.After(time.Second):
		t.Fatal("the event did not reach node B within a second")
	}
	select {
	case got := <-other:
		t.Errorf("another collectivité's subscriber got %+v", got)
	case <-time.After(100 * time.Millisecond):
	}
	if err := a.hub.Publish(context.Background(), live.Event{TenantID: "t1", Topic: "x", Data: strings.Repeat("a", live.MaxData+1)}); err != live.ErrTooLarge {
		t.Errorf("an event over MaxData: err %v, want ErrTooLarge", err)
	}
}

func TestANodeThatLosesTheChannelEmptiesItsCachesAndListensAgain(t *testing.T) {
	t.Parallel()
	a, b := twoNodes(t)
	pid := b.link.ListenerPID()
	if _, err := a.d.Exec(context.Background(), "SELECT pg_terminate_backend(?)", int64(pid)); err != nil {
		t.Fatal(err)
	}
	// Dropped at the loss, then again once listening: every kind held,
	// every collectivité.
	for range 2 * 2 {
		if c := waitChange(t, b, 5*time.Second); c.TenantID != "" || !c.Remote {
			t.Fatalf("after the loss B's cache got %+v; want everything dropped", c)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for !b.link.Stats().Listening || b.link.ListenerPID() == pid {
		if time.Now().After(deadline) {
			t.Fatal("node B did not listen again within 10 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if s := b.link.Stats(); s.Lost != 1 {
		t.Errorf("stats %+v; want one loss counted", s)
	}
	a.bus.Changed(context.Background(), invalidate.Change{Kind: invalidate.Tenant, TenantID: "t9"})
	if c := waitChange(t, b, time.Second); c.TenantID != "t9" {
		t.Errorf("after reconnecting B heard %+v, want the change of t9", c)
	}
}

func TestChannelNamesFitPostgreSQL(t *testing.T) {
	t.Parallel()
	long := cluster.Channel(strings.Repeat("s", 80))
	if len(long) > 63 || long == cluster.Channel(strings.Repeat("s", 81)) {
		t.Errorf("channel of a long schema: %q", long)
	}
	if cluster.Channel("") != "guichet" || cluster.Channel("t1") != "guichet.t1" {
		t.Errorf("channels: %q, %q", cluster.Channel(""), cluster.Channel("t1"))
	}
}
