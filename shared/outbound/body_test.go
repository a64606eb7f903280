package outbound_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chis-dev/chis/shared/outbound"
)

// endless writes body chunks until the client goes away, then reports how
// many bytes it managed to write.
func endless(status int, written chan<- int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)

		chunk := []byte(strings.Repeat("x", 32<<10))
		var n int64
		for {
			m, err := w.Write(chunk)
			n += int64(m)
			if err != nil {
				written <- n

				return
			}
		}
	}
}

// TestHugeBodies is P04 (a) and (b): the client keeps the cap, marks the
// body truncated, stops reading at once and closes, so the receiver's
// writes fail after little more than the socket buffers.
func TestHugeBodies(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name   string
		status int
		class  string
	}{
		{"200 streaming forever", http.StatusOK, ""},
		{"500 with an endless page", http.StatusInternalServerError, outbound.ClassHTTP},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			written := make(chan int64, 1)
			srv := httptest.NewServer(endless(tt.status, written))
			t.Cleanup(srv.Close)

			c := outbound.New(outbound.Options{Timeout: 3 * time.Second})
			res := c.Do(context.Background(), outbound.Request{URL: srv.URL})

			if res.StatusCode != tt.status || res.ErrorClass != tt.class {
				t.Fatalf("result = %d %q, want %d %q", res.StatusCode, res.ErrorClass,
					tt.status, tt.class)
			}

			if len(res.Body) != outbound.DefaultMaxResponseBytes || !res.Truncated {
				t.Errorf("body = %d bytes truncated=%v, want the cap and truncated",
					len(res.Body), res.Truncated)
			}

			assertWithin(t, res.Duration, 0, time.Second)
			assertStoppedReading(t, written)
		})
	}
}

// assertStoppedReading waits for the receiver to notice the closed
// connection and checks it could not push more than the kernel buffers.
func assertStoppedReading(t *testing.T, written <-chan int64) {
	t.Helper()

	const most = 32 << 20
	select {
	case n := <-written:
		t.Logf("receiver wrote %d bytes before the client closed", n)
		if n > most {
			t.Errorf("receiver wrote %d bytes before the client closed, want < %d", n, most)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("receiver was still writing 5s after the attempt ended")
	}
}

// Test50MBErrorPage is P04 (b) with a real Content-Length: the 50 MB page
// is not drained, the connection is closed instead.
func Test50MBErrorPage(t *testing.T) {
	t.Parallel()

	written := make(chan int64, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(50<<20))
		endless(http.StatusInternalServerError, written)(w, r)
	}))
	t.Cleanup(srv.Close)

	c := outbound.New(outbound.Options{Timeout: 3 * time.Second})
	res := c.Do(context.Background(), outbound.Request{URL: srv.URL})

	if res.StatusCode != http.StatusInternalServerError || res.ErrorClass != outbound.ClassHTTP {
		t.Fatalf("result = %d %q, want 500 http", res.StatusCode, res.ErrorClass)
	}

	if !res.Truncated || len(res.Body) != outbound.DefaultMaxResponseBytes {
		t.Errorf("body = %d bytes truncated=%v", len(res.Body), res.Truncated)
	}

	assertWithin(t, res.Duration, 0, time.Second)
	assertStoppedReading(t, written)
}

// TestLyingContentLength is P04 (c): the receiver claims 10 GB, sends a few
// bytes and keeps the connection open. A 2xx is a success once its short
// body wait is over; a 5xx keeps reading until the attempt deadline. Both
// keep what arrived and mark it truncated.
func TestLyingContentLength(t *testing.T) {
	t.Parallel()

	tests := []struct {
		status    string
		code      int
		class     string
		low, high time.Duration
	}{
		{"200 OK", 200, "", 900 * time.Millisecond, 1800 * time.Millisecond},
		{"500 Internal Server Error", 500, outbound.ClassHTTP, 2 * time.Second, 3 * time.Second},
	}

	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			t.Parallel()

			addr := rawServer(t, func(c net.Conn, done <-chan struct{}) {
				readRequestHead(c)
				fmt.Fprintf(c, "HTTP/1.1 %s\r\nContent-Length: 10000000000\r\n\r\noops", tt.status)
				<-done
			})

			c := outbound.New(outbound.Options{Timeout: 2 * time.Second})
			res := c.Do(context.Background(), outbound.Request{URL: "http://" + addr})

			if res.StatusCode != tt.code || res.ErrorClass != tt.class {
				t.Fatalf("result = %+v, want %d %q", res, tt.code, tt.class)
			}

			if string(res.Body) != "oops" || !res.Truncated {
				t.Errorf("body = %q truncated=%v, want oops, truncated", res.Body, res.Truncated)
			}

			assertWithin(t, res.Duration, tt.low, tt.high)
		})
	}
}

// TestMemoryStaysFlat sends attempts at a 50 MB page and a lying
// Content-Length and checks the client allocated nowhere near the body
// size. It does not run in parallel: allocation counters are per process.
func TestMemoryStaysFlat(t *testing.T) {
	written := make(chan int64, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "10000000000")
		endless(http.StatusInternalServerError, written)(w, r)
	}))
	t.Cleanup(srv.Close)

	c := outbound.New(outbound.Options{Timeout: 3 * time.Second})
	var before, after runtime.MemStats

	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 5 {
		if res := c.Do(context.Background(), outbound.Request{URL: srv.URL}); !res.Truncated {
			t.Fatalf("result = %+v, want a truncated body", res)
		}

		<-written
	}
	runtime.ReadMemStats(&after)

	// Five attempts keep 64 KiB each; the receiver's chunk and the
	// transport's buffers come on top. 50 MB read would show up at once.
	const most = 8 << 20
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("5 attempts allocated %d bytes", alloc)
	if alloc > most {
		t.Errorf("allocated %d bytes for 5 attempts, want < %d", alloc, most)
	}
}

// TestBodySanitised checks that the kept body is valid UTF-8 without NUL,
// within the cap, with a character cut by the cap dropped.
func TestBodySanitised(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name      string
		max       int
		body      string
		want      string
		truncated bool
	}{
		{"valid", 64, "héllo ✓", "héllo ✓", false},
		{"nul", 64, "a\x00b", "a\uFFFDb", false},
		{"invalid byte", 64, "ok\xffok", "ok\uFFFDok", false},
		{"lone continuation", 64, "\x80", "\uFFFD", false},
		{"cut sequence at end", 64, "ab\xe2\x9c", "ab\uFFFD\uFFFD", false},
		{"exactly the cap", 8, "abcdefgh", "abcdefgh", false},
		{"one over the cap", 8, "abcdefghi", "abcdefgh", true},
		{"cap cuts a character", 8, "abcdefgé", "abcdefg", true},
		{"replacements exceed the cap", 4, "\xff\xff\xff\xff", "\uFFFD", true},
		{"replacements fit the cap", 6, "\x00\x00", "\uFFFD\uFFFD", false},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
				_ *http.Request) {
				_, _ = io.WriteString(w, tt.body)
			}))
			t.Cleanup(srv.Close)

			c := outbound.New(outbound.Options{MaxResponseBytes: tt.max, Timeout: 2 * time.Second})
			res := c.Do(context.Background(), outbound.Request{URL: srv.URL})

			if string(res.Body) != tt.want || res.Truncated != tt.truncated {
				t.Errorf("body = %q truncated=%v, want %q truncated=%v",
					res.Body, res.Truncated, tt.want, tt.truncated)
			}
		})
	}
}

// TestConnectionReuse shows the pool at work: small bodies and bodies a
// little over the cap (drained) keep the connection; a large unread body
// closes it, and the next attempt opens a new one.
func TestConnectionReuse(t *testing.T) {
	t.Parallel()

	var opened atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		size := map[string]int{"/small": 10, "/drainable": 1024 + 100, "/big": 1 << 20}
		_, _ = io.WriteString(w, strings.Repeat("z", size[r.URL.Path]))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)

	c := outbound.New(outbound.Options{MaxResponseBytes: 1024, Timeout: 2 * time.Second})
	steps := []struct {
		path   string
		opened int64
	}{
		{"/small", 1}, {"/drainable", 1}, {"/small", 1}, {"/big", 1}, {"/small", 2},
	}

	for _, s := range steps {
		res := c.Do(context.Background(), outbound.Request{URL: srv.URL + s.path})
		if !res.Success() {
			t.Fatalf("%s: result = %+v", s.path, res)
		}

		if got := opened.Load(); got != s.opened {
			t.Fatalf("after %s: %d connections opened, want %d", s.path, got, s.opened)
		}
	}
}
