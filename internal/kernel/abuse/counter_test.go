package abuse_test

import (
	"fmt"
	"testing"
	"time"

	"guichet/internal/kernel/abuse"
)

func TestCounterWindowResetAndCapacity(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	c := abuse.NewCounter(5, 15*time.Minute, 100)
	c.Now = func() time.Time { return now }
	for i := range 5 {
		if !c.Allow("a") {
			t.Fatalf("refused after %d events", i)
		}
		c.Fail("a")
	}
	if c.Allow("a") {
		t.Fatal("allowed a 6th event within the window")
	}
	if !c.Allow("b") {
		t.Fatal("another key is limited")
	}
	now = now.Add(15 * time.Minute)
	if !c.Allow("a") {
		t.Fatal("still refused after the window")
	}
	c.Fail("a")
	c.Reset("a")
	if !c.Allow("a") {
		t.Fatal("refused after reset")
	}
	for i := range 1000 {
		c.Fail(fmt.Sprint("k", i))
	}
	if n := c.Len(); n > 100 {
		t.Fatalf("counter holds %d keys, capacity 100", n)
	}
}
