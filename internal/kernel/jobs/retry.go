package jobs

import (
	"guichet/internal/kernel/clock"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// backoff waits base after the first failure, then three times longer after
// each following one, never more than max: with the defaults, 30 s, 1 min 30,
// 4 min 30, 13 min 30, 40 min, 2 h, 4 h — about seven hours over 8 attempts,
// which rides out a mail server's maintenance window.
type backoff struct {
	base, max time.Duration
	now       func() time.Time
}

// NextRetry implements river.ClientRetryPolicy.
func (b *backoff) NextRetry(job *rivertype.JobRow) time.Time {
	return b.now().Add(b.delay(len(job.Errors) + 1))
}

// delay is the wait after the n-th failure (n ≥ 1).
func (b *backoff) delay(n int) time.Duration {
	d := b.base
	for i := 1; i < n && d < b.max; i++ {
		d *= 3
	}
	return min(d, b.max)
}

// riverClock lends a clock to River, which reads the time through it.
type riverClock clock.Clock

// Now implements rivertype.TimeGenerator.
func (c riverClock) Now() time.Time { return c() }

// NowOrNil implements rivertype.TimeGenerator: the time is always given, so
// that River's queries compare with it rather than with the database's.
func (c riverClock) NowOrNil() *time.Time {
	t := c()
	return &t
}
