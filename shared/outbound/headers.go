package outbound

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// MaxRetryAfter caps the Retry-After a receiver can ask for, so a typo or a
// hostile value cannot park a message for years.
const MaxRetryAfter = 24 * time.Hour

// retryAfter reads Retry-After as delay seconds or an HTTP date, relative to
// now. Missing, malformed and past values give 0.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}

	if secs, err := strconv.ParseUint(v, 10, 64); err == nil {
		if secs > uint64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter
		}

		return time.Duration(secs) * time.Second
	}

	at, err := http.ParseTime(v)
	if err != nil {
		return 0
	}

	return min(max(at.Sub(now), 0), MaxRetryAfter)
}

// redirectTarget returns where a 3xx pointed, resolved against the request
// URL, as scheme, host and path only: tenants need to see where the endpoint
// moved, not tokens the receiver put in the query.
func redirectTarget(resp *http.Response) string {
	loc, err := resp.Location()
	if err != nil {
		return ""
	}

	kept := url.URL{Scheme: loc.Scheme, Host: loc.Host, Path: loc.Path}

	return kept.String()
}

// statusMessage describes a non-2xx status with the standard reason phrase;
// the receiver's own phrase is not trusted for display.
func statusMessage(code int) string {
	msg := "receiver answered " + strconv.Itoa(code)
	if text := http.StatusText(code); text != "" {
		msg += " " + text
	}

	if code >= 300 && code < 400 {
		msg += "; redirects are not followed, update the endpoint URL"
	}

	return msg
}
