// Package live publishes small events to the browsers that follow them
// (server-sent events): a display board, a queue position, a notice that
// a case has a new message. A publication reaches the subscribers of this
// process at once and, through a relay (internal/kernel/cluster on
// PostgreSQL), those of every other node.
package live

import (
	"context"
	"errors"
	"fmt"
	"guichet"
	"sync"
)

// MaxData bounds an event's data: PostgreSQL's NOTIFY carries at most
// 8,000 bytes, and a browser needs a signal, not a document.
const MaxData = 4096

// ErrTooLarge is returned by Publish for data over MaxData.
var ErrTooLarge = errors.New("live: event data over 4 KiB")

// MaxSubscribers bounds the streams one node holds open: each is a
// connection and a goroutine, and a flood of them must not exhaust the
// node. Past it, a page works without its live notices.
const MaxSubscribers = 20_000

// ErrFull is returned by Subscribe past MaxSubscribers.
var ErrFull = &guichet.Error{Code: guichet.EUnavailable, Message: "Trop de connexions en direct : réessayez plus tard."}

// Event is one publication on a collectivité's topic.
type Event struct {
	TenantID string `json:"t"`
	// Topic names what subscribers follow: "case:<id>", "queue:<id>".
	Topic string `json:"o"`
	// Name is the SSE event name the browser listens for.
	Name string `json:"e"`
	Data string `json:"d"`
}

// Relay carries this process's publications to the other nodes.
type Relay interface {
	Publish(ctx context.Context, e Event) error
}

// Hub holds the subscriptions of this process.
type Hub struct {
	mu    sync.Mutex
	subs  map[topicKey]map[*subscription]struct{}
	n     int
	relay Relay
	// Max bounds the subscriptions (MaxSubscribers; tests lower it).
	Max int
}

type topicKey struct{ tenantID, topic string }

type subscription struct{ ch chan Event }

// NewHub returns a hub without subscribers or relay.
func NewHub() *Hub { return &Hub{subs: map[topicKey]map[*subscription]struct{}{}, Max: MaxSubscribers} }

// SetRelay sends every later publication to r as well.
func (h *Hub) SetRelay(r Relay) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.relay = r
}

// Subscribe follows a collectivité's topic until cancel is called. Events
// that a slow reader has not taken are dropped past a few: what a board
// shows is always read again whole, so a lost signal costs a refresh.
func (h *Hub) Subscribe(tenantID, topic string) (events <-chan Event, cancel func(), err error) {
	s := &subscription{ch: make(chan Event, 16)}
	k := topicKey{tenantID, topic}
	h.mu.Lock()
	if h.n >= h.Max {
		h.mu.Unlock()
		return nil, nil, ErrFull
	}
	h.n++
	if h.subs[k] == nil {
		h.subs[k] = map[*subscription]struct{}{}
	}
	h.subs[k][s] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	return s.ch, func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.subs[k], s)
			if len(h.subs[k]) == 0 {
				delete(h.subs, k)
			}
			h.n--
			h.mu.Unlock()
		})
	}, nil
}

// Publish delivers e to this process's subscribers, then to the relay.
func (h *Hub) Publish(ctx context.Context, e Event) error {
	if len(e.Data) > MaxData {
		return ErrTooLarge
	}
	h.Deliver(e)
	h.mu.Lock()
	r := h.relay
	h.mu.Unlock()
	if r == nil {
		return nil
	}
	if err := r.Publish(ctx, e); err != nil {
		return fmt.Errorf("live: relay %s: %w", e.Topic, err)
	}
	return nil
}

// Deliver hands e to this process's subscribers only: the relay calls it
// for a publication of another node.
func (h *Hub) Deliver(e Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs[topicKey{e.TenantID, e.Topic}] {
		select {
		case s.ch <- e:
		default: // a reader this far behind reloads anyway
		}
	}
}

// Subscribers returns how many subscriptions are open, for the metrics.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n
}
