package jobs

import (
	"testing"
	"time"
)

// A job in flight at a crash is run again after a few minutes, not River's
// default hour; never before a live job's timeout has passed.
func TestRescueDelayIsMinutesAboveTheJobTimeout(t *testing.T) {
	t.Parallel()
	for given, want := range map[time.Duration]time.Duration{
		0:                RescueAfter,
		30 * time.Second: RescueAfter, // under the job timeout: a live job would be run twice
		10 * time.Minute: 10 * time.Minute,
	} {
		if got := (Options{RescueAfter: given}).withDefaults().RescueAfter; got != want {
			t.Errorf("RescueAfter %s gives %s, want %s", given, got, want)
		}
	}
	if RescueAfter > 10*time.Minute || RescueAfter <= JobTimeout {
		t.Errorf("default rescue delay %s: want a few minutes, above the job timeout %s", RescueAfter, JobTimeout)
	}
}
