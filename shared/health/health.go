// Package health answers liveness and readiness the same way in every
// component: /health says the process lives; /ready asks each dependency at
// once, with a short deadline, and names the ones that failed.
package health

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// Check is one dependency that readiness asks about.
type Check struct {
	Name  string
	Check func(ctx context.Context) error
}

// timeout bounds one readiness answer, so a hung dependency cannot hang a
// probe.
const timeout = 2 * time.Second

// Live answers 200 while the process serves.
func Live(w http.ResponseWriter, _ *http.Request) {
	write(w, http.StatusOK, map[string]any{"status": "ok"})
}

// Ready returns a handler that answers 200 when every check passes, else 503
// with the names of those that failed. draining, when not nil and true, makes
// it answer 503 so that traffic moves away during a shutdown.
func Ready(checks []Check, draining func() bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if draining != nil && draining() {
			write(w, http.StatusServiceUnavailable,
				map[string]any{"status": "draining", "failed": []string{}})

			return
		}

		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()

		if failed := Failed(ctx, checks); len(failed) > 0 {
			write(w, http.StatusServiceUnavailable,
				map[string]any{"status": "unavailable", "failed": failed})

			return
		}

		write(w, http.StatusOK, map[string]any{"status": "ready"})
	}
}

// Failed runs every check concurrently and returns the names of those that
// failed, in the order given.
func Failed(ctx context.Context, checks []Check) []string {
	errs := make([]error, len(checks))
	done := make(chan struct{}, len(checks))

	for i, c := range checks {
		go func() {
			errs[i] = c.Check(ctx)
			done <- struct{}{}
		}()
	}

	for range checks {
		<-done
	}

	failed := []string{}
	for i, err := range errs {
		if err != nil {
			failed = append(failed, checks[i].Name)
		}
	}

	return failed
}

func write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Mux returns a mux with /health, /ready and, when metrics is not nil,
// /metrics: what a component that serves nothing else exposes.
func Mux(checks []Check, draining func() bool, metrics http.Handler) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", Live)
	mux.Handle("GET /ready", Ready(checks, draining))

	if metrics != nil {
		mux.Handle("GET /metrics", metrics)
	}

	return mux
}
