package outbound_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/chis-dev/chis/shared/guard"
	"github.com/chis-dev/chis/shared/outbound"
)

// TestDoSuccess sends a signed-looking POST to a real receiver and checks
// what arrives there and what comes back.
func TestDoSuccess(t *testing.T) {
	t.Parallel()

	got := make(chan *http.Request, 1)
	gotBody := make(chan []byte, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- r
		gotBody <- body
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)

	c := outbound.New(outbound.Options{Timeout: 2 * time.Second, UserAgent: "Chis/test"})
	payload := []byte(`{"zeta":1, "alpha":{"b":2}}`)
	res := c.Do(context.Background(), outbound.Request{
		URL:    srv.URL + "/hook",
		Header: http.Header{"X-Webhook-Id": {"msg_1"}},
		Body:   payload,
	})

	if !res.Success() || res.StatusCode != http.StatusAccepted || res.ErrorClass != "" {
		t.Fatalf("result = %+v, want 202 success", res)
	}

	if string(res.Body) != `{"ok":true}` || res.Truncated {
		t.Errorf("body = %q truncated=%v", res.Body, res.Truncated)
	}

	if res.Duration <= 0 || res.ErrorMessage != "" {
		t.Errorf("duration = %v, message = %q", res.Duration, res.ErrorMessage)
	}

	r := <-got
	if r.Method != http.MethodPost || r.URL.Path != "/hook" {
		t.Errorf("receiver saw %s %s, want POST /hook", r.Method, r.URL.Path)
	}

	if r.Header.Get("User-Agent") != "Chis/test" || r.Header.Get("X-Webhook-Id") != "msg_1" {
		t.Errorf("receiver headers = %v", r.Header)
	}

	if body := <-gotBody; !bytes.Equal(body, payload) {
		t.Errorf("receiver body = %q, want %q", body, payload)
	}
}

// BenchmarkDo measures one small 200 round trip on loopback with a warm
// connection pool, without a guard and with one that allows loopback (the
// guard then runs CheckURL on every attempt and Control on every dial).
func BenchmarkDo(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, "ok")
	}))
	b.Cleanup(srv.Close)

	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	clients := []struct {
		name string
		opts outbound.Options
	}{
		{"plain", outbound.Options{}},
		{"guarded", outbound.Options{Guard: guard.New(loopback)}},
	}

	for _, cl := range clients {
		b.Run(cl.name, func(b *testing.B) {
			c := outbound.New(cl.opts)
			req := outbound.Request{URL: srv.URL + "/hook", Body: []byte(`{"event":"bench"}`)}

			b.ReportAllocs()
			for b.Loop() {
				if res := c.Do(context.Background(), req); !res.Success() {
					b.Fatalf("result = %+v", res)
				}
			}
		})
	}
}
