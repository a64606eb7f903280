package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/httprate"
)

// clientIP works out the client's address: from X-Forwarded-For when the
// connection comes from a trusted proxy, else the connection's own peer, so a
// client cannot pick its own address by sending the header.
func clientIP(trusted []string) func(http.Handler) http.Handler {
	prefixes := make([]string, 0, len(trusted))
	for _, p := range trusted {
		if p = strings.TrimSpace(p); p != "" {
			prefixes = append(prefixes, p)
		}
	}

	if len(prefixes) == 0 {
		return middleware.ClientIPFromRemoteAddr
	}

	return middleware.ClientIPFromXFF(prefixes...)
}

// authLimit bounds sign-in and registration attempts per client address and
// minute (httprate's sliding window, kept in this process), and answers the
// excess with a 429 and Retry-After.
func (s *server) authLimit() func(http.Handler) http.Handler {
	if s.AuthRateLimit <= 0 {
		return func(next http.Handler) http.Handler { return next }
	}

	return httprate.LimitBy(s.AuthRateLimit, time.Minute,
		func(r *http.Request) (string, error) {
			return httprate.CanonicalizeIP(middleware.GetClientIP(r.Context())), nil
		},
		httprate.WithLimitHandler(func(w http.ResponseWriter, _ *http.Request) {
			writeError(w, newError(http.StatusTooManyRequests, "rate_limited",
				"too many attempts from this address; try again in a minute"))
		}))
}
