package abuse_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"guichet"
	"guichet/internal/kernel/abuse"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

// memory records refusals in a slice.
type memory struct {
	mu   sync.Mutex
	list []abuse.Refusal
}

func (m *memory) Record(_ context.Context, r abuse.Refusal) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.list = append(m.list, r)
	return nil
}

func (m *memory) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.list)
}

var test = abuse.Action{Name: "test", Rules: []abuse.Rule{
	{Kind: abuse.ByAddress, Max: 3, Window: time.Hour},
	{Kind: abuse.ByEmail, Max: 2, Window: time.Hour},
	{Kind: abuse.ByTenant, Max: 10, Window: time.Hour},
}}

func newLimits() (*abuse.Limits, *memory, *time.Time) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	rec := &memory{}
	l := abuse.New(rec, nil)
	l.Now = func() time.Time { return now }
	return l, rec, &now
}

// eachStore runs fn on limits counting in memory, then in the shared
// table of each database.
func eachStore(t *testing.T, fn func(t *testing.T, l *abuse.Limits, rec *memory, now *time.Time)) {
	t.Run("memory", func(t *testing.T) {
		t.Parallel()
		l, rec, now := newLimits()
		fn(t, l, rec, now)
	})
	t.Run("shared", func(t *testing.T) {
		t.Parallel()
		dbtest.Each(t, []db.Migrations{tenant.Migrations, abuse.Migrations}, func(t *testing.T, d *db.DB) {
			t.Parallel()
			l, rec, now := newLimits()
			l.Share(d)
			fn(t, l, rec, now)
		})
	})
}

func refusedBy(t *testing.T, err error) abuse.Kind {
	t.Helper()
	var r *abuse.Refused
	if !errors.As(err, &r) {
		t.Fatalf("got %v, want a refusal", err)
	}
	if guichet.ErrorCode(err) != guichet.ERateLimited {
		t.Fatalf("code %q, want rate_limited", guichet.ErrorCode(err))
	}
	return r.Kind
}

func TestAddressLimitThenWindowEnds(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, l *abuse.Limits, rec *memory, now *time.Time) {
		ctx := context.Background()
		for i := range 3 {
			if err := l.Take(ctx, test, abuse.Attempt{TenantID: "t1", Address: "192.0.2.1", Email: fmt.Sprintf("p%d@example.org", i)}); err != nil {
				t.Fatalf("attempt %d refused: %v", i+1, err)
			}
		}
		err := l.Take(ctx, test, abuse.Attempt{TenantID: "t1", Address: "192.0.2.1", Email: "other@example.org"})
		if kind := refusedBy(t, err); kind != abuse.ByAddress {
			t.Fatalf("refused by %s, want address", kind)
		}
		var r *abuse.Refused
		errors.As(err, &r)
		if r.RetryAfter != time.Hour || r.RetryAfterSeconds() != 3600 {
			t.Errorf("retry after %s, want the rest of the window (1 h)", r.RetryAfter)
		}
		if guichet.ErrorMessage(err) != "Trop de demandes depuis votre connexion : réessayez dans 60 min." {
			t.Errorf("message %q", guichet.ErrorMessage(err))
		}
		// A refused attempt is not counted, and is recorded once per window.
		_ = l.Take(ctx, test, abuse.Attempt{TenantID: "t1", Address: "192.0.2.1"})
		if rec.len() != 1 || rec.list[0].Kind != abuse.ByAddress || rec.list[0].Address != "192.0.2.1" ||
			rec.list[0].Email != "o•••@example.org" || rec.list[0].Action != "test" || !rec.list[0].At.Equal(*now) {
			t.Fatalf("recorded %+v, want one address refusal with the masked email", rec.list)
		}
		if err := l.Take(ctx, test, abuse.Attempt{TenantID: "t1", Address: "192.0.2.2"}); err != nil {
			t.Fatalf("another address refused: %v", err)
		}
		*now = now.Add(59 * time.Minute)
		err = l.Take(ctx, test, abuse.Attempt{TenantID: "t1", Address: "192.0.2.1"})
		errors.As(err, &r)
		if r == nil || r.RetryAfter != time.Minute || guichet.ErrorMessage(err) != "Trop de demandes depuis votre connexion : réessayez dans 1 min." {
			t.Fatalf("a minute before the end: %v", err)
		}
		*now = now.Add(time.Minute)
		if err := l.Take(ctx, test, abuse.Attempt{TenantID: "t1", Address: "192.0.2.1"}); err != nil {
			t.Fatalf("refused after the window: %v", err)
		}
	})
}

func TestEmailLimitAcrossAddressesAndTenantLimit(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, l *abuse.Limits, rec *memory, _ *time.Time) {
		ctx := context.Background()
		for i := range 2 {
			if err := l.Take(ctx, test, abuse.Attempt{TenantID: "t1", Address: fmt.Sprintf("192.0.2.%d", i), Email: "Cible@Example.org"}); err != nil {
				t.Fatal(err)
			}
		}
		// Case and spaces do not make another recipient.
		if kind := refusedBy(t, l.Take(ctx, test, abuse.Attempt{TenantID: "t2", Address: "198.51.100.9", Email: " cible@example.ORG"})); kind != abuse.ByEmail {
			t.Fatalf("refused by %s, want email", kind)
		}
		for i := 2; i < 10; i++ {
			if err := l.Take(ctx, test, abuse.Attempt{TenantID: "t1", Address: fmt.Sprintf("192.0.2.%d", i)}); err != nil {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		if kind := refusedBy(t, l.Take(ctx, test, abuse.Attempt{TenantID: "t1", Address: "203.0.113.1"})); kind != abuse.ByTenant {
			t.Fatalf("refused by %s, want tenant", kind)
		}
		if err := l.Take(ctx, test, abuse.Attempt{TenantID: "t2", Address: "203.0.113.1"}); err != nil {
			t.Fatalf("another collectivité refused: %v", err)
		}
		if rec.len() != 2 {
			t.Fatalf("recorded %d refusals, want 2", rec.len())
		}
	})
}

func TestFailuresOnlyAndForget(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, l *abuse.Limits, _ *memory, _ *time.Time) {
		ctx := context.Background()
		at := abuse.Attempt{TenantID: "t1", Address: "192.0.2.1", Email: "marc@example.org"}
		for range 5 {
			if err := l.Check(ctx, abuse.SignIn, at); err != nil {
				t.Fatal(err)
			}
			l.Count(abuse.SignIn, at)
		}
		if kind := refusedBy(t, l.Check(ctx, abuse.SignIn, at)); kind != abuse.ByEmailFromAddress {
			t.Fatalf("refused by %s, want email from this address", kind)
		}
		// The same address names another account on another collectivité.
		if err := l.Check(ctx, abuse.SignIn, abuse.Attempt{TenantID: "t2", Address: "192.0.2.1", Email: "marc@example.org"}); err != nil {
			t.Fatalf("other collectivité: %v", err)
		}
		l.Forget(abuse.SignIn, abuse.ByEmailFromAddress, at)
		if err := l.Check(ctx, abuse.SignIn, at); err != nil {
			t.Fatalf("after forgetting: %v", err)
		}
	})
}

// Guessing one account's password is held from one address and from many
// addresses together, yet the failures of others never keep out a
// browser the account knows (ASVS 6.1.1, 6.3.1).
func TestSignInGuessingHeldWithoutLockingTheOwnerOut(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, l *abuse.Limits, _ *memory, now *time.Time) {
		ctx := context.Background()
		from := func(addr string, known bool) abuse.Attempt {
			return abuse.Attempt{TenantID: "t1", Address: addr, Email: "Marc@Example.org", Known: known}
		}
		fail := func(at abuse.Attempt) {
			t.Helper()
			if err := l.Check(ctx, abuse.SignIn, at); err != nil {
				t.Fatalf("failure from %s refused early: %v", at.Address, err)
			}
			l.Count(abuse.SignIn, at)
		}
		// One stranger: five guesses, then refused, whatever they type.
		for range 5 {
			fail(from("203.0.113.9", false))
		}
		if kind := refusedBy(t, l.Check(ctx, abuse.SignIn, from("203.0.113.9", false))); kind != abuse.ByEmailFromAddress {
			t.Fatalf("refused by %s, want email from this address", kind)
		}
		// The owner, at home on a new browser, is not affected.
		if err := l.Check(ctx, abuse.SignIn, from("198.51.100.7", false)); err != nil {
			t.Fatalf("the owner's address refused: %v", err)
		}
		// Strangers on many addresses: ten guesses in all, then every new
		// address is refused too.
		for i := range 5 {
			fail(from(fmt.Sprintf("192.0.2.%d", i+1), false))
		}
		if kind := refusedBy(t, l.Check(ctx, abuse.SignIn, from("192.0.2.99", false))); kind != abuse.ByEmail {
			t.Fatalf("refused by %s, want email", kind)
		}
		// A browser the account knows still gets through, from anywhere but
		// an address that used up its own guesses.
		if err := l.Check(ctx, abuse.SignIn, from("192.0.2.100", true)); err != nil {
			t.Fatalf("the owner's browser refused: %v", err)
		}
		if kind := refusedBy(t, l.Check(ctx, abuse.SignIn, from("203.0.113.9", true))); kind != abuse.ByEmailFromAddress {
			t.Fatalf("a known browser at the guessing address: refused by %s, want email from this address", kind)
		}
		*now = now.Add(15 * time.Minute)
		if err := l.Check(ctx, abuse.SignIn, from("192.0.2.99", false)); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

// Concurrent attempts never exceed a limit: checking and counting are one step.
func TestConcurrentAttemptsStayUnderLimit(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, l *abuse.Limits, _ *memory, _ *time.Time) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		allowed := 0
		for range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := l.Take(context.Background(), test, abuse.Attempt{TenantID: "t1", Address: "192.0.2.1"})
				var refused *abuse.Refused
				if err != nil && !errors.As(err, &refused) {
					t.Errorf("an attempt failed instead of being counted or refused: %v", err)
				}
				if err == nil {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if allowed != 3 {
			t.Fatalf("%d attempts allowed, want 3", allowed)
		}
	})
}

func TestMaskEmail(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Camille.Martin@Example.org": "c•••@example.org",
		"":                           "",
		"pas-une-adresse":            "•••",
		"élise@exemple.fr":           "é•••@exemple.fr",
	} {
		if got := abuse.MaskEmail(in); got != want {
			t.Errorf("MaskEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

// Two nodes sharing the database share each limit: the second node
// refuses what the first used up, and alternate attempts add up.
func TestNodesSharingTheDatabaseShareTheLimits(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{tenant.Migrations, abuse.Migrations}, func(t *testing.T, d *db.DB) {
		t.Parallel()
		a, _, now := newLimits()
		b, _, _ := newLimits()
		b.Now = func() time.Time { return *now }
		a.Share(d)
		b.Share(d)
		ctx := context.Background()
		at := abuse.Attempt{TenantID: "t1", Address: "192.0.2.1"}
		for i, node := range []*abuse.Limits{a, b, a} {
			if err := node.Take(ctx, test, at); err != nil {
				t.Fatalf("attempt %d refused: %v", i+1, err)
			}
		}
		if kind := refusedBy(t, b.Take(ctx, test, at)); kind != abuse.ByAddress {
			t.Fatalf("refused by %s, want address", kind)
		}
		var clear int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM abuse_counts WHERE key LIKE '%192.0.2.1%'`).Scan(&clear); err != nil || clear != 0 {
			t.Errorf("%d counts keep the address in the clear (%v)", clear, err)
		}
		*now = now.Add(2 * time.Hour)
		if n, err := abuse.PurgeCounts(ctx, d, *now); err != nil || n != 2 {
			t.Errorf("purged %d counts (%v); want the address's and the collectivité's rows, their window over", n, err)
		}
		if err := b.Take(ctx, test, at); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}
