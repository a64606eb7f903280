package worker_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.opentelemetry.io/otel/trace"

	"github.com/chis-dev/chis/shared/clock"
	"github.com/chis-dev/chis/shared/outbound"
	"github.com/chis-dev/chis/shared/queue"
	"github.com/chis-dev/chis/shared/retry"
	"github.com/chis-dev/chis/shared/signing"
	"github.com/chis-dev/chis/shared/storage"
	"github.com/chis-dev/chis/shared/testenv"
	"github.com/chis-dev/chis/shared/worker"
)

const secret = "whsec_dGVzdC1zZWNyZXQtZm9yLXdvcmtlci10ZXN0cw=="

// rig is a worker running in this process on a fresh database and Redis
// prefix, with a fake clock, delivering through the real HTTP client.
type rig struct {
	store *storage.Store
	queue *queue.Queue
	clock *clock.Fake
	orgID uuid.UUID
	// stop ends Run and waits for it to return.
	stop func()
}

func newRig(t *testing.T, concurrency int) *rig {
	t.Helper()

	return newRigWith(t, rigOptions{concurrency: concurrency, timeout: 5 * time.Second})
}

type rigOptions struct {
	concurrency int
	perHost     int
	timeout     time.Duration
	// clock replaces the fake clock, for tests that need real waits.
	clock clock.Clock
	// workerDB, when set, is the database URL the worker uses instead of
	// the rig's, to cut it off from PostgreSQL.
	workerDB string
	// tracer, when set, makes the worker's attempt spans.
	tracer trace.Tracer
}

func newRigWith(t *testing.T, o rigOptions) *rig {
	t.Helper()

	store, _ := testenv.NewStore(t)
	q, _ := testenv.NewQueue(t)
	r := &rig{store: store, queue: q, clock: clock.NewFake(time.Now())}

	u := storage.User{ID: uuid.New(), Email: testenv.RandomHex(4) + "@example.com",
		PasswordHash: "x", FirstName: "W", CreatedAt: r.clock.Now()}
	if _, err := store.Register(context.Background(), u, storage.NewOrg{
		Name: "W", Slug: "w-" + testenv.RandomHex(3), SigningSecret: secret}); err != nil {
		t.Fatal(err)
	}

	m, err := store.Membership(context.Background(), u.ID, uuid.Nil)
	if err != nil {
		t.Fatal(err)
	}
	r.orgID = m.ID

	var clk clock.Clock = r.clock
	if o.clock != nil {
		clk = o.clock
	}

	workerStore := store
	if o.workerDB != "" {
		var err error
		if workerStore, err = storage.Open(context.Background(), o.workerDB, 2); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(workerStore.Close)
	}

	w := worker.New(worker.Deps{
		Store: workerStore, Queue: q, Clock: clk, Concurrency: o.concurrency, Lease: time.Minute,
		PerHost: o.perHost, HostBusyDelay: 200 * time.Millisecond, Tracer: o.tracer,
		Sender: outbound.New(outbound.Options{Timeout: o.timeout}),
		Log:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Policy: retry.Policy{MaxAttempts: 5,
			Schedule: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}},
	})

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()

	r.stop = sync.OnceFunc(func() { cancel(); <-done })
	t.Cleanup(r.stop)

	return r
}

func (r *rig) send(t *testing.T, url, payload string) uuid.UUID {
	t.Helper()

	acc, err := r.store.InsertMessage(context.Background(), storage.NewMessage{
		OrgID: r.orgID, URL: url, Method: "POST", Payload: []byte(payload), Now: r.clock.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}

	if err := r.queue.Push(context.Background(), acc.ID); err != nil {
		t.Fatal(err)
	}

	return acc.ID
}

// hit is one request a receiver saw.
type hit struct {
	header http.Header
	body   string
}

// recorder is a receiver that notes every request on a channel.
func recorder(t *testing.T, status func(n int) int) (*httptest.Server, chan hit) {
	t.Helper()

	hits := make(chan hit, 100)
	var n atomic.Int32

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		hits <- hit{header: r.Header.Clone(), body: string(b)}
		w.WriteHeader(status(int(n.Add(1))))
	}))
	t.Cleanup(srv.Close)

	return srv, hits
}

func next(t *testing.T, hits chan hit) hit {
	t.Helper()

	select {
	case h := <-hits:
		return h
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery within 10 s")
		return hit{}
	}
}

// P11 and P12: each attempt is signed afresh with the time it was made, so a
// third attempt more than 5 minutes after the first still verifies within a
// 5-minute tolerance; the id and the body never change.
func TestRetriesAreSignedAfreshWithTheSameIDAndBody(t *testing.T) {
	t.Parallel()

	r := newRig(t, 4)
	srv, hits := recorder(t, func(n int) int {
		if n <= 2 {
			return 500
		}

		return 200
	})

	payload := `{"b":1, "a":[1,2,3]}`
	id := r.send(t, srv.URL, payload)

	var got []hit
	for i := range 3 {
		h := next(t, hits)
		got = append(got, h)

		err := signing.Verify(secret, h.header.Get(signing.HeaderID),
			h.header.Get(signing.HeaderTimestamp), h.header.Get(signing.HeaderSignature),
			[]byte(h.body), r.clock.Now(), 5*time.Minute)
		if err != nil {
			t.Fatalf("attempt %d does not verify at its own time: %v", i+1, err)
		}

		if i < 2 {
			waitState(t, r, id, storage.StateRetry)
			r.clock.Advance(3 * time.Minute)
		}
	}

	for i, h := range got {
		if h.header.Get(signing.HeaderID) != "msg_"+id.String() || h.body != payload {
			t.Fatalf("attempt %d: id %s body %q; want msg_%s and the same body", i+1,
				h.header.Get(signing.HeaderID), h.body, id)
		}
	}

	if got[0].header.Get(signing.HeaderTimestamp) == got[2].header.Get(signing.HeaderTimestamp) {
		t.Fatal("the timestamp did not move between attempts")
	}

	waitState(t, r, id, storage.StateSuccess)
}

// P13 (a): a receiver that takes longer than the attempt timeout and then
// answers 200 gets the message again, with the same id: at-least-once, as
// documented, since the worker cannot know the late answer was a success.
func TestSlowReceiverGetsTheMessageAgain(t *testing.T) {
	t.Parallel()

	r := newRigWith(t, rigOptions{concurrency: 2, timeout: time.Second,
		clock: clock.System{}})

	var n atomic.Int32
	ids := make(chan string, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ids <- req.Header.Get(signing.HeaderID)
		if n.Add(1) == 1 {
			<-time.After(1500 * time.Millisecond) // past the 1 s timeout, then 200
		}
	}))
	t.Cleanup(srv.Close)

	id := r.send(t, srv.URL, `{}`)
	waitState(t, r, id, storage.StateSuccess)

	d, err := r.store.Message(context.Background(), r.orgID, id)
	if err != nil {
		t.Fatal(err)
	}

	if len(d.Attempts) != 2 || d.Attempts[0].ErrorClass != outbound.ClassTimeout {
		t.Fatalf("attempts %+v, want a timeout then a success", d.Attempts)
	}

	first, second := <-ids, <-ids
	if first != second || first != "msg_"+id.String() {
		t.Fatalf("deliveries carried ids %s and %s, want msg_%s twice", first, second, id)
	}
}

// P13 (b): a message whose target keeps failing does not hold back the next
// message to the same host.
func TestFailingMessageDoesNotBlockTheNext(t *testing.T) {
	t.Parallel()

	r := newRig(t, 2)
	failing, _ := recorder(t, func(int) int { return 500 })
	healthy, hits := recorder(t, func(int) int { return 200 })

	r.send(t, failing.URL+"/a", `{"m":1}`)
	r.send(t, healthy.URL+"/b", `{"m":2}`)

	if h := next(t, hits); h.body != `{"m":2}` {
		t.Fatalf("healthy target got %q", h.body)
	}
}

// P13 (c): the same id pushed many times, with several deliveries in flight,
// never makes two attempts of one message at once, and here only one.
func TestDuplicateIDsMakeOneAttempt(t *testing.T) {
	t.Parallel()

	r := newRig(t, 8)

	var inflight, most, total atomic.Int32
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := inflight.Add(1)
		total.Add(1)

		mu.Lock()
		most.Store(max(most.Load(), n))
		mu.Unlock()

		<-time.After(200 * time.Millisecond) // hold the attempt open while duplicates arrive
		inflight.Add(-1)
	}))
	t.Cleanup(srv.Close)

	id := r.send(t, srv.URL, `{}`)
	for range 10 {
		if err := r.queue.Push(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}

	waitState(t, r, id, storage.StateSuccess)
	waitEmpty(t, r)

	if total.Load() != 1 || most.Load() != 1 {
		t.Fatalf("%d deliveries, at most %d at once; want 1 and 1", total.Load(), most.Load())
	}
}

// A shutdown lets the delivery in flight finish and record its outcome; it
// neither cuts the attempt nor uses one up.
func TestShutdownLetsInflightDeliveryFinish(t *testing.T) {
	t.Parallel()

	r := newRig(t, 2)
	started := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(started)
		<-time.After(time.Second) // a slow receiver, still inside the timeout
	}))
	t.Cleanup(srv.Close)

	id := r.send(t, srv.URL, `{}`)
	<-started
	r.stop()

	d, err := r.store.Message(context.Background(), r.orgID, id)
	if err != nil {
		t.Fatal(err)
	}

	if d.State != storage.StateSuccess || len(d.Attempts) != 1 || d.Attempts[0].StatusCode != 200 {
		t.Fatalf("after shutdown: %s with %d attempts, want success with 1", d.State,
			len(d.Attempts))
	}
}

// A worker that cannot reach PostgreSQL keeps the id it popped: it puts it
// back rather than dropping it.
func TestWorkerWithoutPostgresKeepsTheID(t *testing.T) {
	t.Parallel()

	r := newRigWith(t, rigOptions{concurrency: 2, timeout: time.Second,
		workerDB: "postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=1"})

	id := r.send(t, "http://127.0.0.1:1/", `{}`)

	// Let the worker pop it, fail to claim and put it back at least once.
	poll(t, "the worker to try the message", func() bool {
		n, _ := r.queue.Len(context.Background())
		return n == 0
	})
	r.stop()

	got, err := r.queue.Pop(context.Background(), time.Second)
	if err != nil || got != id {
		t.Fatalf("after the worker stopped the queue holds %v (%v), want %s", got, err, id)
	}
}

func waitState(t *testing.T, r *rig, id uuid.UUID, state string) {
	t.Helper()

	poll(t, "message "+id.String()+" to be "+state, func() bool {
		d, err := r.store.Message(context.Background(), r.orgID, id)
		return err == nil && d.State == state
	})
}

func waitEmpty(t *testing.T, r *rig) {
	t.Helper()

	poll(t, "the ready list to empty", func() bool {
		n, err := r.queue.Len(context.Background())
		return err == nil && n == 0
	})
}

// poll checks cond every 20 ms for up to 10 s.
func poll(t *testing.T, what string, cond func() bool) {
	t.Helper()

	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()

	timeout := time.After(10 * time.Second)
	for !cond() {
		select {
		case <-tick.C:
		case <-timeout:
			t.Fatalf("waited 10 s for %s", what)
		}
	}
}
