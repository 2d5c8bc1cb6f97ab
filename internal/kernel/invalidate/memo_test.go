package invalidate

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// TestMemoKeepsUntilAChangeOfItsKinds: a value is loaded once, kept for
// the collectivité until a change of a kind the memo holds touches it;
// other collectivités and other kinds keep theirs; errors are not kept.
func TestMemoKeepsUntilAChangeOfItsKinds(t *testing.T) {
	t.Parallel()
	b := New()
	m := NewMemo(b, "test", time.Hour, Content, Tenant)
	loads := map[string]int{}
	get := func(tenantID string) int {
		v, err := Memoized(m, tenantID, "list", func() (int, error) { loads[tenantID]++; return loads[tenantID], nil })
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if get("a") != 1 || get("a") != 1 || get("b") != 1 {
		t.Fatalf("loads %v: want one load per collectivité", loads)
	}
	b.Changed(context.Background(), Change{Kind: Agenda, TenantID: "a"})
	if get("a") != 1 {
		t.Error("a change of a kind the memo does not hold dropped its value")
	}
	b.Changed(context.Background(), Change{Kind: Content, TenantID: "a"})
	if get("a") != 2 || get("b") != 1 {
		t.Errorf("after a change to a: a %d, b %d; want a reloaded (2), b kept (1)", get("a"), get("b"))
	}
	b.Changed(context.Background(), Change{Kind: Tenant})
	if get("b") != 2 {
		t.Error("a change to every collectivité left b's value")
	}
	fail := errors.New("database gone")
	for range 2 {
		if _, err := Memoized(m, "a", "broken", func() (int, error) { loads["broken"]++; return 0, fail }); !errors.Is(err, fail) {
			t.Fatalf("error %v, want %v", err, fail)
		}
	}
	if loads["broken"] != 2 {
		t.Errorf("a failed load was kept: %d loads for 2 gets", loads["broken"])
	}
}

// TestMemoExpiresAndStaysBounded: an entry older than the time to live is
// loaded again, a disabled memo always loads, and a bounded memo never
// holds more than its bound whatever names visitors choose.
func TestMemoExpiresAndStaysBounded(t *testing.T) {
	t.Parallel()
	m := NewMemo(New(), "test", 20*time.Millisecond, Content).Bound(10)
	n := 0
	load := func() (int, error) { n++; return n, nil }
	first, _ := Memoized(m, "a", "x", load)
	time.Sleep(30 * time.Millisecond)
	if again, _ := Memoized(m, "a", "x", load); again == first {
		t.Error("an expired entry was served")
	}
	for i := range 100 {
		if _, err := Memoized(m, "a", fmt.Sprint("query ", i), load); err != nil {
			t.Fatal(err)
		}
		if m.Len() > 10 {
			t.Fatalf("%d entries held, bound 10", m.Len())
		}
	}
	m.Disable()
	before := n
	Memoized(m, "a", "y", load)
	Memoized(m, "a", "y", load)
	if n != before+2 {
		t.Errorf("a disabled memo loaded %d times for 2 gets", n-before)
	}
}

// TestMemoKeepsNoValueLoadedAcrossAChange: a value whose load was under
// way when a change arrived may predate the change: it is given to its
// reader but not kept.
func TestMemoKeepsNoValueLoadedAcrossAChange(t *testing.T) {
	t.Parallel()
	b := New()
	m := NewMemo(b, "test", time.Hour, Content)
	n := 0
	v, _ := Memoized(m, "a", "x", func() (int, error) {
		n++
		b.Changed(context.Background(), Change{Kind: Content, TenantID: "a"}) // written while reading
		return n, nil
	})
	again, _ := Memoized(m, "a", "x", func() (int, error) { n++; return n, nil })
	if v != 1 || again != 2 {
		t.Errorf("got %d then %d: the value loaded across a change was kept", v, again)
	}
}
