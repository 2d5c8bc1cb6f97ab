package directory

import (
	"sync"
	"time"

	"guichet/internal/capability/directory/openinghours"
)

// memos keep what is read from entries' texts, which seldom change while
// the list is read on every visit: stemming every entry's words and
// reading every entry's hours cost most of a large town's search. Each
// is known by what it was read from, so that no change needs announcing;
// each table is emptied when it grows past its bound.
type memos struct {
	sync.Mutex
	termSets map[termKey]map[string]bool
	parsed   map[string]*openinghours.Hours
	statuses map[statusKey]Status
}

// An entry's terms are known by its id and the time it last changed:
// every write sets it.
type termKey struct {
	id      string
	updated time.Time
}

// A status holds for the current minute of one zone, unless it changes
// within it.
type statusKey struct {
	hours         string
	minute        time.Time
	zone          string
	alsaceMoselle bool
}

const (
	maxTermSets = 8192
	maxParsed   = 4096
	maxStatuses = 8192
)

func newMemos() *memos {
	return &memos{termSets: map[termKey]map[string]bool{}, parsed: map[string]*openinghours.Hours{},
		statuses: map[statusKey]Status{}}
}

// remember returns m[key], or read's answer, kept under a bound; without
// memos (an entry not read from a list) it reads every time.
func remember[K comparable, V any](mu *sync.Mutex, m map[K]V, bound int, key K, valid func(V) bool, read func() V) V {
	mu.Lock()
	v, ok := m[key]
	mu.Unlock()
	if ok && valid(v) {
		return v
	}
	v = read()
	mu.Lock()
	if len(m) >= bound {
		clear(m)
	}
	m[key] = v
	mu.Unlock()
	return v
}

func always[V any](V) bool { return true }

func (m *memos) terms(key termKey, read func() map[string]bool) map[string]bool {
	if m == nil {
		return read()
	}
	return remember(&m.Mutex, m.termSets, maxTermSets, key, always, read)
}

func (m *memos) hours(text string, read func() *openinghours.Hours) *openinghours.Hours {
	if m == nil {
		return read()
	}
	return remember(&m.Mutex, m.parsed, maxParsed, text, always, read)
}

func (m *memos) status(key statusKey, t time.Time, read func() Status) Status {
	if m == nil {
		return read()
	}
	return remember(&m.Mutex, m.statuses, maxStatuses, key,
		func(st Status) bool { return st.Next.IsZero() || t.Before(st.Next) }, read)
}
