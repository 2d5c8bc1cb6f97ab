package invalidate

import (
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Memo keeps, per collectivité, values that many pages read and few
// changes touch (a catalogue, the first page of a list, a banner) for a
// few seconds: each would otherwise cost a query on every request. A
// change of a kind it holds drops the collectivité's entries at once;
// other servers of a cluster see it when the bus relays it, or within the
// time to live.
type Memo struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[memoKey]memoEntry
	// max bounds the entries (0: no bound); a full memo starts afresh,
	// so that names chosen by visitors (a search) cannot grow it.
	max int
	// loads lets one request load an absent or old value while the
	// others asking for it wait: when an entry expires under load, every
	// request in flight would otherwise run the same queries at once.
	loads singleflight.Group
	// drops counts the changes heard: a value loaded while one arrived
	// may predate it, and is given but not kept.
	drops uint64
}

// memoKey is a collectivité and what of it an entry holds; a struct, not
// a joined string, so that a lookup allocates nothing.
type memoKey struct{ tenantID, name string }

type memoEntry struct {
	at    time.Time
	value any
}

// NewMemo returns an empty memo whose entries live ttl, registered on b
// as name: a change of any of kinds to a collectivité drops its entries.
func NewMemo(b *Bus, name string, ttl time.Duration, kinds ...Kind) *Memo {
	m := &Memo{ttl: ttl, entries: map[memoKey]memoEntry{}}
	b.Register(Cache{Name: name, TTL: ttl, Holds: kinds, Drop: m.Drop})
	return m
}

// Get returns the collectivité's value named name, computing it with load
// when absent or old.
func (m *Memo) Get(tenantID, name string, load func() (any, error)) (any, error) {
	key := memoKey{tenantID, name}
	m.mu.Lock()
	e, ok := m.entries[key]
	ttl := m.ttl
	m.mu.Unlock()
	if ok && time.Since(e.at) < ttl {
		return e.value, nil
	}
	v, err, _ := m.loads.Do(tenantID+"\x00"+name, func() (any, error) {
		m.mu.Lock()
		drops := m.drops
		m.mu.Unlock()
		v, err := load()
		if err != nil {
			return nil, err
		}
		m.mu.Lock()
		defer m.mu.Unlock()
		if m.drops != drops {
			return v, nil
		}
		if m.max > 0 && len(m.entries) >= m.max {
			clear(m.entries)
		}
		m.entries[key] = memoEntry{at: time.Now(), value: v}
		return v, nil
	})
	return v, err
}

// Bound limits the memo to n entries and returns it.
func (m *Memo) Bound(n int) *Memo {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.max = n
	return m
}

// Len is the number of entries held.
func (m *Memo) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}

// Drop forgets the entries of the collectivité a change touches.
func (m *Memo) Drop(ch Change) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.drops++
	for k := range m.entries {
		if ch.Touches(k.tenantID, "") {
			delete(m.entries, k)
		}
	}
}

// Disable makes every get load afresh (tests counting queries).
func (m *Memo) Disable() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ttl = 0
}

// Memoized is Memo.Get for a value of type T.
func Memoized[T any](m *Memo, tenantID, name string, load func() (T, error)) (T, error) {
	v, err := m.Get(tenantID, name, func() (any, error) { return load() })
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}
