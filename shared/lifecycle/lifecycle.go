// Package lifecycle gives every binary the same start and stop: a context
// that ends on SIGTERM or SIGINT, and a drain that lets in-flight HTTP
// requests finish before the process exits. functions-framework serves with
// http.ListenAndServe and has no shutdown hook, so the drain works on the
// handler instead of on the server.
package lifecycle

import (
	"context"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
)

// SignalContext returns a context that is cancelled on SIGTERM or SIGINT.
func SignalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
}

// Drainer counts in-flight requests and, once draining, refuses new ones
// with 503 so that a load balancer sends them elsewhere.
type Drainer struct {
	inflight atomic.Int64
	draining atomic.Bool
}

// Wrap returns next, counted.
func (d *Drainer) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Count first, then look at the flag: a request that got past the
		// check is always seen by Drain.
		d.inflight.Add(1)
		defer d.inflight.Add(-1)

		if d.draining.Load() {
			w.Header().Set("Connection", "close")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"code":"unavailable","message":"shutting down"}` + "\n"))

			return
		}

		next.ServeHTTP(w, r)
	})
}

// Draining reports whether Drain was called; readiness answers 503 then.
func (d *Drainer) Draining() bool { return d.draining.Load() }

// Drain stops new requests and waits for those in flight, or for ctx to end.
// It reports whether every request finished.
func (d *Drainer) Drain(ctx context.Context) bool {
	d.draining.Store(true)

	// Polling keeps the counter lock-free on the request path; a drain
	// happens once per process life, so its latency does not matter.
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()

	for d.inflight.Load() > 0 {
		select {
		case <-tick.C:
		case <-ctx.Done():
			return false
		}
	}

	return true
}
