package account_test

import (
	"fmt"
	"testing"
	"time"

	"guichet/internal/account"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	l := account.NewLimiter(5, 15*time.Minute, 100)
	l.Now = func() time.Time { return now }
	for i := range 5 {
		if !l.Allow("a") {
			t.Fatalf("refused after %d failures", i)
		}
		l.Fail("a")
	}
	if l.Allow("a") {
		t.Fatal("allowed a 6th attempt within the window")
	}
	if !l.Allow("b") {
		t.Fatal("another key is throttled")
	}
	now = now.Add(15 * time.Minute)
	if !l.Allow("a") {
		t.Fatal("still refused after the window")
	}
	l.Fail("a")
	l.Reset("a")
	if !l.Allow("a") {
		t.Fatal("refused after reset")
	}
	for i := range 1000 {
		l.Fail(fmt.Sprint("k", i))
	}
	if n := l.Len(); n > 100 {
		t.Fatalf("limiter holds %d keys, capacity 100", n)
	}
}
