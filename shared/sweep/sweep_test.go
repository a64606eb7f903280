package sweep_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/chis-dev/chis/shared/clock"
	"github.com/chis-dev/chis/shared/storage"
	"github.com/chis-dev/chis/shared/sweep"
	"github.com/chis-dev/chis/shared/testenv"
)

// Messages whose ids Redis lost are queued again by the sweep, each once,
// even with two sweeps running at the same time.
func TestSweepRequeuesLostIDsOnce(t *testing.T) {
	t.Parallel()

	store, _ := testenv.NewStore(t)
	q, _ := testenv.NewQueue(t)
	clk := clock.NewFake(time.Now())
	orgID := newOrg(t, store)

	want := map[uuid.UUID]bool{}
	for range 250 {
		acc, err := store.InsertMessage(context.Background(), storage.NewMessage{
			OrgID: orgID, URL: "http://example.com/", Method: "POST", Payload: []byte(`1`),
			Now: clk.Now(),
		})
		if err != nil {
			t.Fatal(err)
		}

		want[acc.ID] = true
	}

	// The ids were never pushed (as if Redis lost them); a minute later the
	// sweep must find them.
	clk.Advance(time.Minute)

	s := &sweep.Sweeper{Store: store, Queue: q, Clock: clk, Batch: 40, Budget: 10 * time.Second,
		RequeueAfter: 30 * time.Second, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}

	var wg sync.WaitGroup
	results := make([]sweep.Result, 2)

	for i := range results {
		wg.Go(func() {
			res, err := s.Run(context.Background())
			if err != nil {
				t.Error(err)
			}

			results[i] = res
		})
	}

	wg.Wait()

	if n := results[0].Queued + results[1].Queued; n != len(want) {
		t.Fatalf("sweeps queued %d ids, want %d", n, len(want))
	}

	seen := drain(t, q, len(want))
	for id := range want {
		if seen[id] != 1 {
			t.Fatalf("id %s queued %d times, want once", id, seen[id])
		}
	}
}

func drain(t *testing.T, q interface {
	Pop(context.Context, time.Duration) (uuid.UUID, error)
}, n int) map[uuid.UUID]int {
	t.Helper()

	seen := map[uuid.UUID]int{}
	for range n {
		id, err := q.Pop(context.Background(), time.Second)
		if err != nil {
			t.Fatal(err)
		}

		seen[id]++
	}

	if id, err := q.Pop(context.Background(), 100*time.Millisecond); err == nil {
		t.Fatalf("extra id %s in the queue", id)
	}

	return seen
}

func newOrg(t testing.TB, store *storage.Store) uuid.UUID {
	t.Helper()

	u := storage.User{ID: uuid.New(), Email: testenv.RandomHex(4) + "@example.com",
		PasswordHash: "x", FirstName: "S", CreatedAt: time.Now()}
	if _, err := store.Register(context.Background(), u, storage.NewOrg{
		Name: "S", Slug: "s-" + testenv.RandomHex(3), SigningSecret: "whsec_x"}); err != nil {
		t.Fatal(err)
	}

	m, err := store.Membership(context.Background(), u.ID, uuid.Nil)
	if err != nil {
		t.Fatal(err)
	}

	return m.ID
}
