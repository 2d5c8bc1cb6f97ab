package clock

import (
	"testing"
	"time"
)

func TestStartingRunsFromItsInstant(t *testing.T) {
	start := time.Date(2026, 12, 6, 18, 30, 0, 0, time.UTC)
	c := Starting(start)
	first := c()
	if first.Before(start) || first.Sub(start) > time.Minute {
		t.Fatalf("first reading %v, want just after %v", first, start)
	}
	time.Sleep(2 * time.Millisecond)
	if second := c(); !second.After(first) {
		t.Fatalf("the clock stood still: %v then %v", first, second)
	}
	if first.Location() != time.UTC {
		t.Errorf("location %v, want UTC", first.Location())
	}
}

func TestParse(t *testing.T) {
	got, err := Parse("2026-10-25T02:30:00+01:00")
	if err != nil || !got.Equal(time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC)) {
		t.Fatalf("Parse: %v, %v", got, err)
	}
	if _, err := Parse("2026-10-25 02:30"); err == nil {
		t.Error("an instant without offset was accepted")
	}
}
