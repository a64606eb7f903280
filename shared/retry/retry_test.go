package retry

import (
	"net/http"
	"testing"
	"time"
)

func TestNext(t *testing.T) {
	t.Parallel()

	const s = time.Second

	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := Policy{MaxAttempts: 5, Schedule: []time.Duration{s, 2 * s, 4 * s, 8 * s},
		RetryAfterMax: time.Minute}

	tests := []struct {
		name    string
		attempt Attempt
		verdict string
		wait    time.Duration
		reason  string
	}{
		{"2xx succeeds", Attempt{Number: 1, StatusCode: 204}, Success, 0, ""},
		{"first failure waits 1s", Attempt{Number: 1, StatusCode: 500}, Retry, time.Second, ""},
		{"second failure waits 2s", Attempt{Number: 2}, Retry, 2 * time.Second, ""},
		{"fourth failure waits 8s", Attempt{Number: 4, StatusCode: 404}, Retry, 8 * s, ""},
		{"fifth failure gives up", Attempt{Number: 5, StatusCode: 500}, Failed, 0,
			ReasonExhausted},
		{"410 ends at once", Attempt{Number: 1, StatusCode: http.StatusGone}, Failed, 0,
			ReasonGone},
		{"429 Retry-After honoured", Attempt{Number: 1, StatusCode: 429, RetryAfter: 30 * s},
			Retry, 30 * s, ""},
		{"503 Retry-After capped", Attempt{Number: 1, StatusCode: 503, RetryAfter: time.Hour},
			Retry, time.Minute, ""},
		{"Retry-After never shortens", Attempt{Number: 3, StatusCode: 429, RetryAfter: time.Second},
			Retry, 4 * time.Second, ""},
		{"Retry-After ignored on 500", Attempt{Number: 1, StatusCode: 500, RetryAfter: time.Minute},
			Retry, time.Second, ""},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			d := p.Next(tt.attempt, now)
			if d.Verdict != tt.verdict || d.Reason != tt.reason {
				t.Fatalf("got %s %q, want %s %q", d.Verdict, d.Reason, tt.verdict, tt.reason)
			}

			if tt.verdict == Retry && d.At.Sub(now) != tt.wait {
				t.Fatalf("wait %v, want %v", d.At.Sub(now), tt.wait)
			}
		})
	}
}

func TestWaitRepeatsLastEntry(t *testing.T) {
	t.Parallel()

	p := Policy{MaxAttempts: 10, Schedule: []time.Duration{time.Second, 3 * time.Second}}
	if got := p.Wait(7); got != 3*time.Second {
		t.Fatalf("wait after attempt 7: %v, want 3s", got)
	}
}

func TestJitterStaysInBounds(t *testing.T) {
	t.Parallel()

	now := time.Unix(0, 0)
	for _, r := range []float64{0, 0.25, 0.5, 0.999} {
		p := Policy{MaxAttempts: 5, Schedule: []time.Duration{10 * time.Second}, Jitter: 0.2,
			Rand: func() float64 { return r }}

		wait := p.Next(Attempt{Number: 1, StatusCode: 500}, now).At.Sub(now)
		if wait < 8*time.Second || wait > 12*time.Second {
			t.Fatalf("rand %v: wait %v outside 8s..12s", r, wait)
		}
	}
}
