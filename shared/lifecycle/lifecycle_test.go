package lifecycle

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// Drain waits for the request in flight, and requests that come meanwhile
// get a 503 rather than being cut or left hanging.
func TestDrainLetsInflightRequestsFinish(t *testing.T) {
	t.Parallel()

	d := &Drainer{}
	entered, release := make(chan struct{}), make(chan struct{})

	srv := httptest.NewServer(d.Wrap(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		if r.URL.Path == "/slow" {
			close(entered)
			<-release
		}

		w.WriteHeader(http.StatusNoContent)
	})))
	t.Cleanup(srv.Close)

	slow := make(chan int, 1)
	go func() {
		resp, err := http.Get(srv.URL + "/slow")
		if err != nil {
			slow <- 0
			return
		}

		_ = resp.Body.Close()
		slow <- resp.StatusCode
	}()

	<-entered

	drained := make(chan bool, 1)
	go func() { drained <- d.Drain(context.Background()) }()

	waitDraining(t, d)

	resp, err := http.Get(srv.URL + "/new")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()

	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("request during drain: %d, want 503", resp.StatusCode)
	}

	select {
	case <-drained:
		t.Fatal("drain returned while a request was in flight")
	default:
	}

	close(release)

	if code := <-slow; code != http.StatusNoContent {
		t.Fatalf("in-flight request ended with %d, want 204", code)
	}

	if !<-drained {
		t.Fatal("drain reported unfinished requests")
	}
}

// Drain gives up when its context ends.
func TestDrainGivesUpAtTheDeadline(t *testing.T) {
	t.Parallel()

	d := &Drainer{}
	d.inflight.Add(1) // a request that never ends

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()

	if d.Drain(ctx) {
		t.Fatal("drain reported success with a request still in flight")
	}
}

func waitDraining(t *testing.T, d *Drainer) {
	t.Helper()

	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()

	for !d.Draining() {
		<-tick.C
	}
}
