// Package retry decides what follows a delivery attempt: done, try again
// (and when), or give up. It is pure: the caller passes the time and the
// source of randomness, so schedules are tested without waiting.
package retry

import (
	"math/rand/v2"
	"net/http"
	"time"
)

// Verdicts of Policy.Next.
const (
	Success = "success"
	Retry   = "retry"
	Failed  = "failed"
)

// Reasons a message fails for good.
const (
	ReasonGone      = "gone"
	ReasonExhausted = "attempts exhausted"
)

// Policy is the retry schedule. The zero Jitter means exact waits.
type Policy struct {
	// MaxAttempts counts every attempt, the first included.
	MaxAttempts int
	// Schedule is the wait after failed attempt 1, 2, ...; the last entry
	// repeats when there are more attempts than entries.
	Schedule []time.Duration
	// Jitter spreads each wait by up to this fraction either way.
	Jitter float64
	// RetryAfterMax caps how long a receiver's Retry-After may defer.
	RetryAfterMax time.Duration
	// Rand returns a float in [0, 1); nil means math/rand/v2.
	Rand func() float64
}

// Attempt is what the policy needs to know about one attempt.
type Attempt struct {
	// Number is 1 for the first attempt.
	Number     int
	StatusCode int
	// RetryAfter is the receiver's Retry-After, zero when absent.
	RetryAfter time.Duration
}

// Decision is the policy's answer.
type Decision struct {
	Verdict string
	// At is when the next attempt is due, for Retry.
	At time.Time
	// Reason says why a message failed, for Failed.
	Reason string
}

// Next decides what follows attempt a, made at now. A 2xx is a success; 410
// Gone ends retries at once; everything else is retried until MaxAttempts.
func (p Policy) Next(a Attempt, now time.Time) Decision {
	switch {
	case a.StatusCode >= 200 && a.StatusCode < 300:
		return Decision{Verdict: Success}
	case a.StatusCode == http.StatusGone:
		return Decision{Verdict: Failed, Reason: ReasonGone}
	case a.Number >= p.MaxAttempts:
		return Decision{Verdict: Failed, Reason: ReasonExhausted}
	}

	wait := p.jittered(p.Wait(a.Number))

	// A receiver that asks for time gets it, within bounds, but never less
	// than the schedule.
	if a.StatusCode == http.StatusTooManyRequests ||
		a.StatusCode == http.StatusServiceUnavailable {
		wait = max(wait, min(a.RetryAfter, p.RetryAfterMax))
	}

	return Decision{Verdict: Retry, At: now.Add(wait)}
}

// Wait is the scheduled wait after failed attempt n, without jitter.
func (p Policy) Wait(n int) time.Duration {
	if len(p.Schedule) == 0 {
		return 0
	}

	i := min(n, len(p.Schedule)) - 1

	return p.Schedule[max(i, 0)]
}

func (p Policy) jittered(d time.Duration) time.Duration {
	if p.Jitter == 0 {
		return d
	}

	r := p.Rand
	if r == nil {
		r = rand.Float64
	}

	spread := (2*r() - 1) * p.Jitter

	return time.Duration(float64(d) * (1 + spread))
}
