package outbound

import (
	"net/http"
	"time"
)

// Error classes name why an attempt failed. They are stable: they are stored
// with each attempt, shown to tenants and used as metric labels, so a class
// is never renamed, only added.
const (
	// ClassHTTP is a response with a status that is neither 2xx nor 3xx.
	ClassHTTP = "http"
	// ClassRedirect is a 3xx response; redirects are never followed.
	ClassRedirect = "redirect"
	// ClassTimeout is an attempt that ran out of time before a status line.
	ClassTimeout = "timeout"
	// ClassDNS is a name that does not resolve.
	ClassDNS = "dns"
	// ClassRefused is a connection refused by the target.
	ClassRefused = "refused"
	// ClassReset is a connection reset by the target.
	ClassReset = "reset"
	// ClassTLS is a failed TLS handshake, certificate checks included.
	ClassTLS = "tls"
	// ClassBlocked is a target refused by the guard.
	ClassBlocked = "blocked"
	// ClassNetwork is any other failure to get a response.
	ClassNetwork = "network"
	// ClassInvalid is a request that cannot be built: a malformed URL, a
	// scheme other than http or https, an invalid method.
	ClassInvalid = "invalid"
	// ClassCanceled is an attempt cut short because the caller's context was
	// cancelled, as when a worker shuts down. It says nothing about the
	// target, so callers should not count it as a used attempt.
	ClassCanceled = "canceled"
)

// Request is one delivery attempt to send.
type Request struct {
	// Method defaults to POST.
	Method string
	// URL is the absolute http or https target.
	URL string
	// Header is sent as is, except User-Agent, which the client sets.
	Header http.Header
	// Body is sent as the exact request body.
	Body []byte
}

// Result is the outcome of one attempt. Do always returns one; it never
// returns an error.
type Result struct {
	// StatusCode is 0 when no HTTP response arrived.
	StatusCode int
	// Body is at most MaxResponseBytes of the response body, valid UTF-8
	// without NUL bytes: invalid bytes and NUL become U+FFFD.
	Body []byte
	// Truncated is set when Body is not the whole response body, because it
	// was longer than the cap or stopped arriving in time.
	Truncated bool
	// ErrorClass is "" on a 2xx and one of the Class constants otherwise.
	ErrorClass string
	// ErrorMessage explains the failure in plain words. It never contains
	// the URL's userinfo, path or query.
	ErrorMessage string
	// Duration is the wall time of the whole attempt.
	Duration time.Duration
	// RetryAfter is the receiver's Retry-After on a 429 or 503, in seconds
	// or as an HTTP date, capped at MaxRetryAfter; 0 otherwise.
	RetryAfter time.Duration
	// Location is the Location of a 3xx response, resolved against the
	// request URL and reduced to scheme, host and path.
	Location string
}

// Success reports whether the attempt got a 2xx status.
func (r Result) Success() bool {
	return r.ErrorClass == "" && r.StatusCode >= 200 && r.StatusCode < 300
}
