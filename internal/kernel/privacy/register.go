// Package privacy holds what the RGPD asks of a collectivité as a whole:
// the register of processing activities (art. 30) that each capability
// fills, the retention rules that periodic work applies, and the requests
// people make about their data (access, erasure, rectification,
// objection), answered within one month.
package privacy

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"guichet/internal/kernel/tenant"
)

// Basis is a legal basis of processing, named by its article of the RGPD.
type Basis string

// The legal bases a collectivité relies on.
const (
	Consent         Basis = "6-1-a"
	Contract        Basis = "6-1-b"
	LegalObligation Basis = "6-1-c"
	PublicTask      Basis = "6-1-e"
)

// Bases lists every basis, in the article's order.
var Bases = []Basis{Consent, Contract, LegalObligation, PublicTask}

// Text is a message key of a web module's catalogue, with its values.
type Text struct {
	Key  string
	Args []any
}

// T returns the text of key with args.
func T(key string, args ...any) Text { return Text{Key: key, Args: args} }

// Activity is one processing of personal data, as the register lists it.
type Activity struct {
	// Key is unique across capabilities ("appointment.bookings").
	Key string
	// Order places the activity in the register.
	Order int
	// Name, Purpose, People (categories of people), Data (categories of
	// data), Retention and Recipients are shown in the reader's language.
	Name, Purpose, People, Data, Retention, Recipients Text
	Bases                                              []Basis
	// Law, optional, names the text a mission or an obligation comes from.
	Law Text
	// InUse reports whether the collectivité uses the capability (nil:
	// always), so that its register lists only what it does.
	InUse func(ctx context.Context, tenantID string) (bool, error)
	// Platform lists the activity on the operator's own site too.
	Platform bool
}

// Rule is a retention rule: Apply deletes or anonymises the records past
// their period, reading its own store's clock, and returns how many
// records it changed. The activity's Retention text states the period.
type Rule struct {
	Key   string
	Apply func(ctx context.Context) (int64, error)
}

// Register is the collectivités' register of processing activities and
// the retention rules behind it; capabilities add theirs when built.
type Register struct {
	mu         sync.RWMutex
	activities []Activity
	rules      []Rule
}

// NewRegister returns an empty register.
func NewRegister() *Register { return &Register{} }

// Add lists processing activities; a key added twice is an error.
func (r *Register) Add(acts ...Activity) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, a := range acts {
		if slices.ContainsFunc(r.activities, func(b Activity) bool { return b.Key == a.Key }) {
			return fmt.Errorf("privacy: activity %q registered twice", a.Key)
		}
		r.activities = append(r.activities, a)
	}
	slices.SortStableFunc(r.activities, func(a, b Activity) int { return a.Order - b.Order })
	return nil
}

// AddRules adds retention rules; a key added twice is an error.
func (r *Register) AddRules(rules ...Rule) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rule := range rules {
		if slices.ContainsFunc(r.rules, func(b Rule) bool { return b.Key == rule.Key }) {
			return fmt.Errorf("privacy: retention rule %q registered twice", rule.Key)
		}
		r.rules = append(r.rules, rule)
	}
	return nil
}

// All returns every registered activity, in order.
func (r *Register) All() []Activity {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Clone(r.activities)
}

// For returns the activities of one collectivité: those of the
// capabilities it uses (on the operator's site, those marked Platform).
func (r *Register) For(ctx context.Context, tenantID string) ([]Activity, error) {
	var out []Activity
	for _, a := range r.All() {
		if tenantID == tenant.PlatformID && !a.Platform {
			continue
		}
		if a.InUse != nil {
			used, err := a.InUse(ctx, tenantID)
			if err != nil {
				return nil, fmt.Errorf("privacy: is %s in use: %w", a.Key, err)
			}
			if !used {
				continue
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// Rules returns the retention rules.
func (r *Register) Rules() []Rule {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Clone(r.rules)
}

// ApplyRetention runs every rule, across every collectivité, and returns
// how many records each changed. A failing rule does not stop the others.
func (r *Register) ApplyRetention(ctx context.Context) (map[string]int64, error) {
	counts := map[string]int64{}
	var errs []error
	for _, rule := range r.Rules() {
		n, err := rule.Apply(ctx)
		counts[rule.Key] = n
		if err != nil {
			errs = append(errs, fmt.Errorf("privacy: retention %s: %w", rule.Key, err))
		}
	}
	return counts, errors.Join(errs...)
}

// Cutoff returns the instant before which records kept days are due.
func Cutoff(now time.Time, days int) time.Time { return now.UTC().AddDate(0, 0, -days) }
