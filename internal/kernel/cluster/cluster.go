// Package cluster links the nodes that share one PostgreSQL database:
// cache changes (internal/kernel/invalidate) and live events
// (internal/kernel/live) announced on one node reach every other node
// through PostgreSQL's LISTEN/NOTIFY, with no other service to run.
//
// Each node keeps one connection listening on the channel of its schema;
// a node that loses it empties its caches (changes may have gone unheard)
// and reconnects, emptying them again once listening.
package cluster

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/live"
)

// message is one notification's payload: a change or an event, and the
// node that sent it (a node hears its own notifications and skips them).
type message struct {
	Node   string      `json:"n"`
	Change *change     `json:"c,omitempty"`
	Event  *live.Event `json:"e,omitempty"`
}

type change struct {
	Kind     invalidate.Kind `json:"k"`
	TenantID string          `json:"t,omitempty"`
	Key      string          `json:"y,omitempty"`
}

// Link is this node's side of the channel.
type Link struct {
	d       *db.DB
	channel string
	node    string
	bus     *invalidate.Bus
	hub     *live.Hub
	log     *slog.Logger

	listening atomic.Bool
	pid       atomic.Uint32 // the listening connection's backend, for tests
	sent      atomic.Uint64
	heard     atomic.Uint64
	lost      atomic.Uint64

	stop context.CancelFunc
	done chan struct{}
	mu   sync.Mutex
}

// Channel returns the notification channel of a schema: nodes on other
// schemas of the same database (tests, a staging copy) do not hear it.
func Channel(schema string) string {
	if schema == "" {
		return "guichet"
	}
	if name := "guichet." + schema; len(name) <= maxIdentifier {
		return name
	}
	sum := sha256.Sum256([]byte(schema))
	return "guichet." + hex.EncodeToString(sum[:12])
}

// maxIdentifier is PostgreSQL's longest name (NAMEDATALEN - 1 bytes).
const maxIdentifier = 63

// Start links bus and hub to the other nodes on d (PostgreSQL only): it
// sets itself as their relay and listens until Close. It returns once
// listening, or with the connection's error.
func Start(ctx context.Context, d *db.DB, bus *invalidate.Bus, hub *live.Hub, log *slog.Logger) (*Link, error) {
	if d.Pool == nil {
		return nil, errors.New("cluster: nodes share a PostgreSQL database, not SQLite")
	}
	var id [8]byte
	_, _ = rand.Read(id[:])
	l := &Link{d: d, channel: Channel(d.Schema), node: hex.EncodeToString(id[:]), bus: bus, hub: hub, log: log,
		done: make(chan struct{})}
	conn, err := l.connect(ctx)
	if err != nil {
		return nil, err
	}
	runCtx, stop := context.WithCancel(context.Background())
	l.stop = stop
	go l.run(runCtx, conn)
	bus.SetRelay(l)
	hub.SetRelay(l)
	return l, nil
}

// connect opens the listening connection, apart from the pool: it is held
// for the node's life.
func (l *Link) connect(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, l.d.Pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, fmt.Errorf("cluster: connect: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{l.channel}.Sanitize()); err != nil {
		conn.Close(ctx)
		return nil, fmt.Errorf("cluster: listen: %w", err)
	}
	l.pid.Store(conn.PgConn().PID())
	l.listening.Store(true)
	return conn, nil
}

// run hears notifications until ctx ends, reconnecting after a loss.
func (l *Link) run(ctx context.Context, conn *pgx.Conn) {
	defer close(l.done)
	wait := 100 * time.Millisecond
	for {
		err := l.listen(ctx, conn)
		conn.Close(context.Background())
		if ctx.Err() != nil {
			return
		}
		l.listening.Store(false)
		l.lost.Add(1)
		l.log.Warn("cluster: lost the notification channel; caches emptied, reconnecting", "err", err)
		l.bus.DropAll()
		for conn = nil; conn == nil; {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			if conn, err = l.connect(ctx); err != nil {
				wait = min(2*wait, 5*time.Second)
				continue
			}
		}
		wait = 100 * time.Millisecond
		// Changes announced while deaf are lost: what was cached since is
		// dropped once more.
		l.bus.DropAll()
		l.log.Info("cluster: listening again")
	}
}

func (l *Link) listen(ctx context.Context, conn *pgx.Conn) error {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		lsn, payload, _ := strings.Cut(n.Payload, " ")
		var m message
		if err := json.Unmarshal([]byte(payload), &m); err != nil {
			l.log.Warn("cluster: unreadable notification", "err", err)
			continue
		}
		if m.Node == l.node {
			continue
		}
		l.heard.Add(1)
		// Before the caches drop: what they reload must come from a
		// replica holding the change, or from the primary.
		l.d.NeedLSN(lsn)
		switch {
		case m.Change != nil:
			l.bus.Receive(invalidate.Change{Kind: m.Change.Kind, TenantID: m.Change.TenantID, Key: m.Change.Key})
		case m.Event != nil:
			l.hub.Deliver(*m.Event)
		}
	}
}

// Send relays a change to the other nodes (invalidate.Relay). A failure
// is logged: the other nodes' caches then expire on their own.
func (l *Link) Send(ctx context.Context, c invalidate.Change) {
	err := l.notify(ctx, message{Change: &change{Kind: c.Kind, TenantID: c.TenantID, Key: c.Key}})
	if err != nil {
		l.log.Error("cluster: relay a change", "kind", c.Kind, "err", err)
	}
}

// Publish relays a live event to the other nodes (live.Relay).
func (l *Link) Publish(ctx context.Context, e live.Event) error {
	return l.notify(ctx, message{Event: &e})
}

func (l *Link) notify(ctx context.Context, m message) error {
	m.Node = l.node
	payload, err := json.Marshal(m)
	if err != nil {
		return err
	}
	// The writer's request may end as soon as it has answered: the
	// notification still goes, within a bounded time.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	// The payload starts with the primary's WAL position, which holds the
	// change: a node reading from a replica waits for it (db.NeedLSN).
	var lsn string
	err = l.d.Pool.QueryRow(ctx, `SELECT x.lsn FROM (SELECT pg_current_wal_lsn()::text AS lsn) x,
		pg_notify($1, x.lsn || ' ' || $2)`, l.channel, string(payload)).Scan(&lsn)
	if err != nil {
		return fmt.Errorf("cluster: notify: %w", err)
	}
	l.d.NeedLSN(lsn)
	l.sent.Add(1)
	return nil
}

// Stats are the link's counters, for /metrics.
type Stats struct {
	Listening         bool
	Sent, Heard, Lost uint64
}

// Stats returns the link's counters.
func (l *Link) Stats() Stats {
	return Stats{Listening: l.listening.Load(), Sent: l.sent.Load(), Heard: l.heard.Load(), Lost: l.lost.Load()}
}

// ListenerPID is the backend of the listening connection (tests end it
// to prove the node recovers).
func (l *Link) ListenerPID() uint32 { return l.pid.Load() }

// Close stops listening; later changes stay on this node.
func (l *Link) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stop == nil {
		return nil
	}
	l.bus.SetRelay(nil)
	l.hub.SetRelay(nil)
	l.stop()
	<-l.done
	l.stop = nil
	return nil
}

// Collector exports the link's state and counters on /metrics.
func (l *Link) Collector() prometheus.Collector { return collector{l} }

var (
	listeningDesc = prometheus.NewDesc("guichet_cluster_listening", "1 while this node hears the other nodes' changes and events.", nil, nil)
	messagesDesc  = prometheus.NewDesc("guichet_cluster_messages_total", "Changes and events sent to or heard from the other nodes.", []string{"direction"}, nil)
	lostDesc      = prometheus.NewDesc("guichet_cluster_losses_total", "Times the notification channel was lost (caches were emptied).", nil, nil)
)

type collector struct{ l *Link }

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- listeningDesc
	ch <- messagesDesc
	ch <- lostDesc
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	s := c.l.Stats()
	listening := 0.0
	if s.Listening {
		listening = 1
	}
	ch <- prometheus.MustNewConstMetric(listeningDesc, prometheus.GaugeValue, listening)
	ch <- prometheus.MustNewConstMetric(messagesDesc, prometheus.CounterValue, float64(s.Sent), "sent")
	ch <- prometheus.MustNewConstMetric(messagesDesc, prometheus.CounterValue, float64(s.Heard), "heard")
	ch <- prometheus.MustNewConstMetric(lostDesc, prometheus.CounterValue, float64(s.Lost))
}
