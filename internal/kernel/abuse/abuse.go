// Package abuse limits how often the actions that send mail or hold a
// resource may be done: per client address (an IPv4 address, or an IPv6
// /64, which is one household or one phone), per email address, per
// account and per collectivité. Counts are kept in memory by a node alone,
// in the database when several share it (Share); the refusals are
// recorded, a short time, for the operator.
package abuse

import (
	"context"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/db"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Kind is what a limit counts by.
type Kind string

// Kinds of limits.
const (
	// ByAddress counts per client address: IPv4, or the IPv6 /64.
	ByAddress Kind = "address"
	// ByEmail counts per email address: the recipient of a message, or the
	// account a sign-in names.
	ByEmail Kind = "email"
	// ByEmailFromAddress counts per email address from one client
	// address: what one place may try against one account.
	ByEmailFromAddress Kind = "email_address"
	// ByAccount counts per signed-in person.
	ByAccount Kind = "account"
	// ByTenant counts per collectivité, whoever acts.
	ByTenant Kind = "tenant"
)

// Kinds lists every kind, in the order limits are checked.
var Kinds = []Kind{ByAddress, ByEmailFromAddress, ByEmail, ByAccount, ByTenant}

// Rule allows Max attempts per key of Kind within every Window.
type Rule struct {
	Kind   Kind
	Max    int
	Window time.Duration
	// PerTenant counts a key separately on each collectivité (an account's
	// email names a different account on each).
	PerTenant bool
	// UnlessKnown lifts the rule for a client the account knows
	// (Attempt.Known): failures from anywhere then cannot keep the
	// account's owner out.
	UnlessKnown bool
}

// Action is something limited, with its rules. Name is stable: the
// console and its translations go by it.
type Action struct {
	Name  string
	Rules []Rule
}

// Attempt is who tries an action. Empty keys are not counted.
type Attempt struct {
	TenantID string
	// Address is the client's address as limits count it (see
	// web.ClientKey): an IPv4 address or an IPv6 /64 prefix.
	Address string
	// Email is the address the action mails, when a visitor typed it, or
	// the account a sign-in names.
	Email string
	// Account identifies the signed-in person.
	Account string
	// Known says the client proved it is the account's own: a browser
	// that signed in to it before, or the signed-in owner.
	Known bool
}

// key returns the attempt's key for a rule, "" when it has none.
func (a Attempt) key(r Rule) string {
	var k string
	switch r.Kind {
	case ByAddress:
		k = a.Address
	case ByEmail:
		k = strings.ToLower(strings.TrimSpace(a.Email))
	case ByEmailFromAddress:
		if email := strings.ToLower(strings.TrimSpace(a.Email)); a.Address != "" && email != "" {
			k = a.Address + "\n" + email
		}
	case ByAccount:
		k = a.Account
	case ByTenant:
		return a.TenantID
	}
	if k == "" {
		return ""
	}
	if r.PerTenant {
		k = a.TenantID + "\n" + k
	}
	return k
}

// Recorder keeps refusals for the operator.
type Recorder interface {
	Record(ctx context.Context, r Refusal) error
}

// Limits holds the counters of every action.
type Limits struct {
	// Now is the clock; tests move it forward.
	Now func() time.Time
	rec Recorder
	log *slog.Logger

	mu       sync.Mutex
	counters map[string][]*Counter // per action name, one per rule
	// shared, when set, holds the counts instead (see Share); recorded
	// then remembers the refusals this node recorded.
	shared   atomic.Pointer[db.DB]
	recorded map[string]*Counter
}

// capacity is how many keys each rule remembers (a few megabytes each at
// most); past it, finished windows and then arbitrary keys are dropped,
// and the collectivité's limit still holds.
const capacity = 20_000

// New returns limits that record refusals with rec (nil: not recorded).
func New(rec Recorder, log *slog.Logger) *Limits {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Limits{Now: clock.System, rec: rec, log: log, counters: map[string][]*Counter{}, recorded: map[string]*Counter{}}
}

// Take counts one attempt at a and returns a *Refused error, without
// counting it, when any of a's limits is reached.
func (l *Limits) Take(ctx context.Context, a Action, at Attempt) error {
	return l.take(ctx, a, at, true)
}

// Check returns a *Refused error when any of a's limits is reached, and
// counts nothing: with Count, for actions whose failures only are
// counted (a sign-in).
func (l *Limits) Check(ctx context.Context, a Action, at Attempt) error {
	return l.take(ctx, a, at, false)
}

// Count counts one attempt at a without checking its limits.
func (l *Limits) Count(a Action, at Attempt) {
	if l.isShared() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := l.countShared(ctx, a, at); err != nil {
			l.log.Error("abuse: count", "action", a.Name, "err", err)
		}
		return
	}
	keys := make([]string, len(a.Rules)) // made before the lock, as in take
	for i, rule := range a.Rules {
		keys[i] = at.key(rule)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.Now()
	for i, c := range l.rules(a) {
		if k := keys[i]; k != "" {
			c.mu.Lock()
			c.hit(k, now)
			c.mu.Unlock()
		}
	}
}

// Forget drops what a's rules of kind counted for at (after a successful
// sign-in, its account's failures).
func (l *Limits) Forget(a Action, kind Kind, at Attempt) {
	if l.isShared() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := l.forgetShared(ctx, a, kind, at); err != nil {
			l.log.Error("abuse: forget", "action", a.Name, "err", err)
		}
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, c := range l.rules(a) {
		if a.Rules[i].Kind == kind {
			if k := at.key(a.Rules[i]); k != "" {
				c.Reset(k)
			}
		}
	}
}

func (l *Limits) take(ctx context.Context, a Action, at Attempt, count bool) error {
	if l.isShared() {
		return l.takeShared(ctx, a, at, count)
	}
	// The keys are made before taking the lock, and the counters keep
	// their windows by value: nothing is allocated under it. An allocation
	// may make a goroutine help the garbage collector, or park it until it
	// can; holding the lock, it stalled every other attempt (in a rush of
	// 2,000 bookings, a thousand requests were found waiting here).
	var room [8]string
	keys := room[:0]
	for _, rule := range a.Rules {
		keys = append(keys, at.key(rule))
	}
	l.mu.Lock()
	now := l.Now()
	counters := l.rules(a)
	for i, c := range counters {
		rule := a.Rules[i]
		k := keys[i]
		if k == "" || rule.UnlessKnown && at.Known {
			continue
		}
		c.mu.Lock()
		ok, wait := c.allow(k, now)
		first := !ok && c.firstRefusal(k)
		c.mu.Unlock()
		if !ok {
			l.mu.Unlock()
			refused := newRefused(a.Name, rule.Kind, wait)
			if first {
				l.record(ctx, a, rule.Kind, at, now)
			}
			return refused
		}
	}
	if count {
		for i, c := range counters {
			if k := keys[i]; k != "" {
				c.mu.Lock()
				c.hit(k, now)
				c.mu.Unlock()
			}
		}
	}
	l.mu.Unlock()
	return nil
}

func (l *Limits) isShared() bool { return l.shared.Load() != nil }

// rules returns a's counters, made on first use. The caller holds mu.
func (l *Limits) rules(a Action) []*Counter {
	cs := l.counters[a.Name]
	if len(cs) != len(a.Rules) {
		cs = make([]*Counter, len(a.Rules))
		for i, r := range a.Rules {
			cs[i] = NewCounter(r.Max, r.Window, capacity)
		}
		l.counters[a.Name] = cs
	}
	return cs
}

// record keeps the refusal for the console; failing to keep it does not
// change the answer, so it is only logged.
func (l *Limits) record(ctx context.Context, a Action, kind Kind, at Attempt, now time.Time) {
	if l.rec == nil {
		return
	}
	r := Refusal{At: now.UTC(), TenantID: at.TenantID, Action: a.Name, Kind: kind, Address: at.Address, Email: MaskEmail(at.Email)}
	if err := l.rec.Record(context.WithoutCancel(ctx), r); err != nil {
		l.log.ErrorContext(ctx, "abuse: record refusal", "action", a.Name, "err", err)
	}
}
