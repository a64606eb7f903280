package outbound_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chis-dev/chis/shared/outbound"
)

// TestRetryAfter reads Retry-After from 429 and 503 in both of its forms,
// ignores it on other statuses and when malformed, and caps it.
func TestRetryAfter(t *testing.T) {
	t.Parallel()

	inAMinute := time.Now().Add(time.Minute).UTC().Format(http.TimeFormat)
	tests := []struct {
		name      string
		status    int
		header    string
		low, high time.Duration
	}{
		{"429 seconds", 429, "120", 120 * time.Second, 120 * time.Second},
		{"503 seconds", 503, " 7 ", 7 * time.Second, 7 * time.Second},
		{"503 date", 503, inAMinute, 55 * time.Second, time.Minute},
		{"past date", 429, "Wed, 21 Oct 2015 07:28:00 GMT", 0, 0},
		{"huge", 429, "99999999999999999", outbound.MaxRetryAfter, outbound.MaxRetryAfter},
		{"negative", 429, "-5", 0, 0},
		{"garbage", 429, "soon", 0, 0},
		{"absent", 429, "", 0, 0},
		{"500 ignores it", 500, "120", 0, 0},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
				_ *http.Request) {
				if tt.header != "" {
					w.Header().Set("Retry-After", tt.header)
				}
				w.WriteHeader(tt.status)
			}))
			t.Cleanup(srv.Close)

			c := outbound.New(outbound.Options{Timeout: 2 * time.Second})
			res := c.Do(context.Background(), outbound.Request{URL: srv.URL})

			if res.StatusCode != tt.status || res.ErrorClass != outbound.ClassHTTP {
				t.Fatalf("result = %d %q, want %d http", res.StatusCode, res.ErrorClass, tt.status)
			}

			assertWithin(t, res.RetryAfter, tt.low, tt.high)
		})
	}
}
