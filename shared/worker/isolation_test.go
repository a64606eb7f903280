package worker_test

import (
	"net"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chis-dev/chis/shared/clock"
)

// Five slow targets, each holding its connections for the whole attempt
// timeout under a steady stream of messages, cannot take the slots that a
// healthy target's deliveries need: with a per-host bound, the healthy
// target's messages keep arriving within a second (p99).
func TestSlowTargetsDoNotDelayHealthyOnes(t *testing.T) {
	t.Parallel()

	r := newRigWith(t, rigOptions{concurrency: 16, perHost: 2, timeout: 2 * time.Second,
		clock: clock.System{}})

	var slow []string
	for i := 2; i <= 6; i++ {
		slow = append(slow, hangingTarget(t, i))
	}

	var mu sync.Mutex
	sent := map[string]time.Time{}
	var latencies []time.Duration

	healthy := listenOn(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter,
		req *http.Request) {
		mu.Lock()
		latencies = append(latencies, time.Since(sent[req.Header.Get("X-Webhook-ID")]))
		mu.Unlock()
	}))

	// About 20 messages a second to the slow targets, which would need 40
	// slots at a 2 s timeout, and 10 a second to the healthy one, for 4 s.
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()

	for i := range 80 {
		<-tick.C
		r.send(t, slow[i%len(slow)], `{"slow":true}`)

		if i%2 == 0 {
			mu.Lock()
			id := r.send(t, healthy, `{"healthy":true}`)
			sent["msg_"+id.String()] = time.Now()
			mu.Unlock()
		}
	}

	poll(t, "every healthy message to arrive", func() bool {
		mu.Lock()
		defer mu.Unlock()

		return len(latencies) == 40
	})

	slices.Sort(latencies)
	p99 := latencies[len(latencies)*99/100]
	t.Logf("healthy latency p50 %v, p99 %v, max %v", latencies[len(latencies)/2], p99,
		latencies[len(latencies)-1])

	if p99 > time.Second {
		t.Fatalf("healthy p99 %v behind slow targets, want under 1 s", p99)
	}
}

// hangingTarget listens on 127.0.0.n and never answers, holding every
// connection until the client gives up.
func hangingTarget(t *testing.T, n int) string {
	t.Helper()

	return listenOn(t, "127.0.0."+string(rune('0'+n)), http.HandlerFunc(
		func(_ http.ResponseWriter, req *http.Request) {
			<-req.Context().Done()
		}))
}

func listenOn(t *testing.T, ip string, h http.Handler) string {
	t.Helper()

	l, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatal(err)
	}

	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })

	return "http://" + l.Addr().String() + "/hook"
}
