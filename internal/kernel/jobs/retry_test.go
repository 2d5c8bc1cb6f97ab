package jobs

import (
	"guichet/internal/kernel/clock"
	"testing"
	"time"
)

func TestBackoffSchedule(t *testing.T) {
	t.Parallel()
	b := &backoff{base: 30 * time.Second, max: 4 * time.Hour, now: clock.System}
	want := []time.Duration{30 * time.Second, 90 * time.Second, 270 * time.Second, 810 * time.Second,
		2430 * time.Second, 7290 * time.Second, 4 * time.Hour, 4 * time.Hour}
	for i, w := range want {
		if got := b.delay(i + 1); got != w {
			t.Errorf("delay after failure %d = %s, want %s", i+1, got, w)
		}
	}
}
