package outbound_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chis-dev/chis/shared/outbound"
)

// testTimeout stands in for the 10 s attempt limit to keep the tests quick.
const testTimeout = time.Second

// slack is how late past testTimeout an attempt may end on a busy two-core
// machine running the tests in parallel.
const slack = 1500 * time.Millisecond

// hang accepts, reads the request and never answers.
func hang(c net.Conn, done <-chan struct{}) {
	readRequestHead(c)
	<-done
}

// dripHeaders sends a status line and headers one byte at a time, never
// finishing them within the attempt.
func dripHeaders(c net.Conn, done <-chan struct{}) {
	readRequestHead(c)

	head := "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"
	tick := time.NewTicker(300 * time.Millisecond)
	defer tick.Stop()

	for i := range len(head) {
		select {
		case <-done:
			return
		case <-tick.C:
			if _, err := c.Write([]byte{head[i]}); err != nil {
				return
			}
		}
	}
}

// TestHungReceivers is P05 (a), (c) and (d): every attempt ends at the
// deadline as a timeout, with no status and a message naming the phase.
func TestHungReceivers(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name    string
		scheme  string
		handle  func(net.Conn, <-chan struct{})
		message string
	}{
		{"accepts and never answers", "http", hang, "waiting for the response"},
		{"header bytes slowly", "http", dripHeaders, "waiting for the response"},
		{"TLS handshake never finishes", "https", hang, "TLS handshake"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			addr := rawServer(t, tt.handle)
			c := outbound.New(outbound.Options{Timeout: testTimeout})
			res := c.Do(context.Background(), outbound.Request{URL: tt.scheme + "://" + addr})

			if res.ErrorClass != outbound.ClassTimeout || res.StatusCode != 0 {
				t.Fatalf("result = %+v, want a timeout without status", res)
			}

			if !strings.Contains(res.ErrorMessage, tt.message) {
				t.Errorf("message = %q, want it to mention %q", res.ErrorMessage, tt.message)
			}

			assertWithin(t, res.Duration, testTimeout, testTimeout+slack)
		})
	}
}

// TestSlowBodyAfter2xx is P05 (b): headers arrive, then one body byte a
// second. The 2xx is a success; the client keeps what arrived in its short
// body wait and does not hold the worker for the whole stream or deadline.
func TestSlowBodyAfter2xx(t *testing.T) {
	t.Parallel()

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()

		for i := 0; ; i++ {
			fmt.Fprint(w, i%10)
			w.(http.Flusher).Flush()

			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
			}
		}
	}))
	t.Cleanup(srv.Close)

	c := outbound.New(outbound.Options{Timeout: 5 * time.Second})
	res := c.Do(context.Background(), outbound.Request{URL: srv.URL})

	if !res.Success() || res.StatusCode != http.StatusOK {
		t.Fatalf("result = %+v, want 200 success", res)
	}

	if !strings.HasPrefix(string(res.Body), "0") || !res.Truncated {
		t.Errorf("body = %q truncated=%v, want the first bytes, truncated", res.Body, res.Truncated)
	}

	assertWithin(t, res.Duration, 900*time.Millisecond, 2*time.Second)
}

// TestHungTargetsDoNotBlockOthers is the end of P05: while attempts hang on
// several dead receivers, the same client reaches a healthy one at its
// normal speed.
func TestHungTargetsDoNotBlockOthers(t *testing.T) {
	t.Parallel()

	c := outbound.New(outbound.Options{Timeout: 2 * time.Second})
	hung := make(chan outbound.Result, 8)
	for range cap(hung) {
		addr := rawServer(t, hang)
		go func() { hung <- c.Do(context.Background(), outbound.Request{URL: "http://" + addr}) }()
	}

	healthy := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(healthy.Close)

	for range 5 {
		res := c.Do(context.Background(), outbound.Request{URL: healthy.URL})
		if !res.Success() || res.Duration > 500*time.Millisecond {
			t.Fatalf("healthy target: %+v, want a quick success", res)
		}
	}

	for range cap(hung) {
		if res := <-hung; res.ErrorClass != outbound.ClassTimeout {
			t.Errorf("hung target: class %q, want timeout", res.ErrorClass)
		}
	}
}

// TestCallerDeadline shows that a caller's earlier deadline also ends the
// attempt as a timeout, and a cancelled context as canceled, which a worker
// shutting down uses to avoid spending an attempt.
func TestCallerDeadline(t *testing.T) {
	t.Parallel()

	addr := rawServer(t, hang)
	c := outbound.New(outbound.Options{Timeout: 10 * time.Second})

	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()

	res := c.Do(ctx, outbound.Request{URL: "http://" + addr})
	if res.ErrorClass != outbound.ClassTimeout {
		t.Errorf("deadline: class %q, want timeout", res.ErrorClass)
	}

	assertWithin(t, res.Duration, 500*time.Millisecond, 500*time.Millisecond+slack)

	// Cancel once the receiver holds the request, as a shutdown would.
	arrived := make(chan struct{})
	addr = rawServer(t, func(c net.Conn, done <-chan struct{}) {
		readRequestHead(c)
		close(arrived)
		<-done
	})

	ctx, cancel = context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()

	res = c.Do(ctx, outbound.Request{URL: "http://" + addr})
	if res.ErrorClass != outbound.ClassCanceled {
		t.Errorf("cancel: class %q, want canceled", res.ErrorClass)
	}
}
