package storage_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/chis-dev/chis/shared/storage"
	"github.com/chis-dev/chis/shared/testenv"
)

// fixture is a store on a fresh database with one organisation.
type fixture struct {
	store *storage.Store
	orgID uuid.UUID
	now   time.Time
}

func newFixture(t *testing.T) fixture {
	t.Helper()

	store, _ := testenv.NewStore(t)
	now := time.Now().UTC().Truncate(time.Millisecond)
	u := storage.User{ID: uuid.New(), Email: "a-" + testenv.RandomHex(3) + "@example.com",
		PasswordHash: "x", FirstName: "A", CreatedAt: now}

	if _, err := store.Register(context.Background(), u, storage.NewOrg{Name: "A",
		Slug: "a-" + testenv.RandomHex(3), SigningSecret: "whsec_x"}); err != nil {
		t.Fatal(err)
	}

	m, err := store.Membership(context.Background(), u.ID, uuid.Nil)
	if err != nil {
		t.Fatal(err)
	}

	return fixture{store: store, orgID: m.ID, now: now}
}

func (f fixture) insert(t *testing.T, key string) storage.Accepted {
	t.Helper()

	acc, err := f.store.InsertMessage(context.Background(), storage.NewMessage{
		OrgID: f.orgID, URL: "http://example.com/", Method: "POST", Payload: []byte(`{}`),
		IdempotencyKey: key, RequestHash: []byte("h"), Now: f.now,
	})
	if err != nil {
		t.Fatal(err)
	}

	return acc
}

// Only one of many concurrent claims of a message wins.
func TestClaimIsExclusive(t *testing.T) {
	t.Parallel()

	f := newFixture(t)
	id := f.insert(t, "").ID

	var wins, losses int
	var mu sync.Mutex
	var wg sync.WaitGroup

	for range 20 {
		wg.Go(func() {
			_, err := f.store.Claim(context.Background(), id, f.now, time.Minute)

			mu.Lock()
			defer mu.Unlock()

			switch {
			case err == nil:
				wins++
			case storage.IsNotFound(err):
				losses++
			default:
				t.Error(err)
			}
		})
	}

	wg.Wait()

	if wins != 1 || losses != 19 {
		t.Fatalf("%d claims won and %d lost, want 1 and 19", wins, losses)
	}
}

// A claim whose lease ran out can be taken over; the old holder's record is
// then fenced off and changes nothing.
func TestExpiredLeaseIsTakenOverAndFenced(t *testing.T) {
	t.Parallel()

	f := newFixture(t)
	ctx := context.Background()
	id := f.insert(t, "").ID

	first, err := f.store.Claim(ctx, id, f.now, time.Minute)
	if err != nil {
		t.Fatal(err)
	}

	_, err = f.store.Claim(ctx, id, f.now.Add(30*time.Second), time.Minute)
	if !storage.IsNotFound(err) {
		t.Fatalf("claim during the lease: %v, want not found", err)
	}

	second, err := f.store.Claim(ctx, id, f.now.Add(2*time.Minute), time.Minute)
	if err != nil || second.Attempt != 2 {
		t.Fatalf("takeover: attempt %d, %v; want attempt 2", second.Attempt, err)
	}

	err = f.store.Record(ctx, outcome(first, storage.StateSuccess, f.now))
	if !errors.Is(err, storage.ErrFenced) {
		t.Fatalf("stale record: %v, want ErrFenced", err)
	}

	if err := f.store.Record(ctx, outcome(second, storage.StateFailed, f.now)); err != nil {
		t.Fatal(err)
	}

	d, err := f.store.Message(ctx, f.orgID, id)
	if err != nil {
		t.Fatal(err)
	}

	if d.State != storage.StateFailed || len(d.Attempts) != 2 {
		t.Fatalf("state %s with %d attempts, want failed with both attempts kept",
			d.State, len(d.Attempts))
	}
}

func outcome(c storage.Claimed, state string, now time.Time) storage.Outcome {
	return storage.Outcome{
		Attempt: storage.Attempt{ID: uuid.New(), MessageID: c.ID, OrgID: c.OrgID,
			Number: c.Attempt, StatusCode: 200, AttemptedAt: now},
		State: state, NextAttemptAt: now.Add(time.Second), Now: now,
	}
}

// Release hands a message back without using up its attempt.
func TestReleaseGivesBackTheAttempt(t *testing.T) {
	t.Parallel()

	f := newFixture(t)
	ctx := context.Background()
	id := f.insert(t, "").ID

	c, err := f.store.Claim(ctx, id, f.now, time.Minute)
	if err != nil {
		t.Fatal(err)
	}

	if err := f.store.Release(ctx, id, c.Attempt, f.now, f.now); err != nil {
		t.Fatal(err)
	}

	again, err := f.store.Claim(ctx, id, f.now, time.Minute)
	if err != nil || again.Attempt != 1 {
		t.Fatalf("claim after release: attempt %d, %v; want attempt 1 again", again.Attempt, err)
	}
}

// Concurrent sweeps split due messages: none is handed out twice, none is
// missed, and a second round finds nothing until RequeueAfter has passed.
func TestDueIDsSplitsWorkBetweenSweepers(t *testing.T) {
	t.Parallel()

	f := newFixture(t)
	ctx := context.Background()

	var want []uuid.UUID
	for range 300 {
		want = append(want, f.insert(t, "").ID)
	}

	later := f.now.Add(time.Minute)

	var mu sync.Mutex
	var got []uuid.UUID
	var wg sync.WaitGroup

	for range 4 {
		wg.Go(func() {
			for {
				ids, err := f.store.DueIDs(ctx, later, 30*time.Second, 50)
				if err != nil {
					t.Error(err)
					return
				}

				if len(ids) == 0 {
					return
				}

				mu.Lock()
				got = append(got, ids...)
				mu.Unlock()
			}
		})
	}

	wg.Wait()

	slices.SortFunc(got, compareUUID)
	slices.SortFunc(want, compareUUID)

	if !slices.Equal(got, want) {
		t.Fatalf("sweepers handed out %d ids (%d distinct), want each of %d once",
			len(got), len(slices.Compact(slices.Clone(got))), len(want))
	}

	again, err := f.store.DueIDs(ctx, later.Add(time.Second), 30*time.Second, 50)
	if err != nil || len(again) != 0 {
		t.Fatalf("second sweep right after: %d ids, %v; want none", len(again), err)
	}
}

func compareUUID(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) }

// An id stuck under an expired lease is swept once.
func TestDueIDsFindsExpiredLeases(t *testing.T) {
	t.Parallel()

	f := newFixture(t)
	ctx := context.Background()
	id := f.insert(t, "").ID

	if _, err := f.store.Claim(ctx, id, f.now, time.Minute); err != nil {
		t.Fatal(err)
	}

	during, _ := f.store.DueIDs(ctx, f.now.Add(30*time.Second), time.Hour, 10)
	after, _ := f.store.DueIDs(ctx, f.now.Add(2*time.Minute), time.Hour, 10)
	again, _ := f.store.DueIDs(ctx, f.now.Add(3*time.Minute), time.Hour, 10)

	if len(during) != 0 || !slices.Equal(after, []uuid.UUID{id}) || len(again) != 0 {
		t.Fatalf("during lease %v, after %v, again %v; want [], [%s], []", during, after,
			again, id)
	}
}

// Concurrent identical requests with one idempotency key store one message.
func TestIdempotentInsertUnderConcurrency(t *testing.T) {
	t.Parallel()

	f := newFixture(t)

	ids := make([]uuid.UUID, 20)
	var wg sync.WaitGroup

	for i := range ids {
		wg.Go(func() { ids[i] = f.insert(t, "k1").ID })
	}

	wg.Wait()

	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("idempotent inserts gave ids %v, want one", ids)
		}
	}

	_, err := f.store.InsertMessage(context.Background(), storage.NewMessage{
		OrgID: f.orgID, URL: "http://example.com/other", Method: "POST", Payload: []byte(`{}`),
		IdempotencyKey: "k1", RequestHash: []byte("other"), Now: f.now,
	})
	if !errors.Is(err, storage.ErrIdempotencyConflict) {
		t.Fatalf("reuse with another request: %v, want ErrIdempotencyConflict", err)
	}
}

// A database that cannot be reached is ErrUnavailable, which the API turns
// into a 503, not a 500.
func TestUnreachableDatabaseIsUnavailable(t *testing.T) {
	t.Parallel()

	store, err := storage.Open(context.Background(),
		"postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", 2)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()

	_, err = store.UserByEmail(context.Background(), "a@example.com")
	if !errors.Is(err, storage.ErrUnavailable) {
		t.Fatalf("query on a closed port: %v, want ErrUnavailable", err)
	}
}

// An attempt that ends after its message was deleted (with its organisation)
// is ErrNotFound, which the worker drops quietly, not an unexpected error.
func TestRecordAfterTheMessageWasDeleted(t *testing.T) {
	t.Parallel()

	f := newFixture(t)
	ctx := context.Background()

	c, err := f.store.Claim(ctx, f.insert(t, "").ID, f.now, time.Minute)
	if err != nil {
		t.Fatal(err)
	}

	if err := f.store.DeleteOrg(ctx, f.orgID); err != nil {
		t.Fatal(err)
	}

	err = f.store.Record(ctx, outcome(c, storage.StateSuccess, f.now))
	if !storage.IsNotFound(err) {
		t.Fatalf("record after delete: %v, want ErrNotFound", err)
	}
}
