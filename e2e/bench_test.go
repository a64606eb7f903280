package e2e

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// BenchmarkPipeline measures webhooks through the whole pipeline: accepted by
// the API (key check, validation, gRPC to Delivery, commit, push), then
// claimed, signed, delivered to a local receiver and recorded by the worker.
// It reports accepted/s and delivered/s with 16 senders. The stack logs at
// debug level for the tests, so the figures are a floor.
func BenchmarkPipeline(b *testing.B) {
	tn := newTenant(b)

	var got atomic.Int64
	rcv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(
		func(http.ResponseWriter, *http.Request) { got.Add(1) })}
	url := serveLocal(b, rcv)
	body := `{"url":"` + url + `","payload":{"event":"bench","data":{"id":123}}}`

	start := time.Now()
	sendAll(b, tn.apiKey, body, b.N)
	accepted := time.Since(start)

	for got.Load() < int64(b.N) && time.Since(start) < 5*time.Minute {
		<-time.After(10 * time.Millisecond)
	}

	delivered := time.Since(start)
	b.ReportMetric(float64(b.N)/accepted.Seconds(), "accepted/s")
	b.ReportMetric(float64(b.N)/delivered.Seconds(), "delivered/s")

	if got.Load() < int64(b.N) {
		b.Fatalf("%d of %d delivered", got.Load(), b.N)
	}

	waitRecorded(b, tn.orgID, b.N)
}

// sendAll posts n webhooks from 16 concurrent senders and wants 201s.
func sendAll(b *testing.B, key, body string, n int) {
	var next atomic.Int64
	var wg sync.WaitGroup

	for range 16 {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				req, _ := http.NewRequest("POST", chis.URL("api")+"/webhook/send",
					strings.NewReader(body))
				req.Header.Set("X-API-Key", key)

				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_ = resp.Body.Close()

				if resp.StatusCode != http.StatusCreated {
					b.Errorf("send: %d", resp.StatusCode)
					return
				}
			}
		})
	}

	wg.Wait()
}

// waitRecorded waits until the org's messages are all recorded a success, so
// the next round does not overlap this one's tail.
func waitRecorded(b *testing.B, orgID string, n int) {
	ctx := context.Background()

	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()

	for range 3000 {
		var done int
		err := conn.QueryRow(ctx, `SELECT count(*) FROM messages
			WHERE org_id = $1 AND state = 'success'`, orgID).Scan(&done)
		if err == nil && done >= n {
			return
		}

		<-time.After(10 * time.Millisecond)
	}
}

// serveLocal serves srv on a loopback port for the benchmark's life.
func serveLocal(b *testing.B, srv *http.Server) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}

	go func() { _ = srv.Serve(l) }()
	b.Cleanup(func() { _ = srv.Close() })

	return "http://" + l.Addr().String() + "/hook"
}
