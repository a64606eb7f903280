package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/chis-dev/chis/shared/storage"
)

// OldestDue is when the oldest pending or retry message fell due; messages
// not yet due, and messages being delivered or finished, do not count.
func TestOldestDue(t *testing.T) {
	t.Parallel()

	f := newFixture(t)
	ctx := context.Background()

	if _, ok, err := f.store.OldestDue(ctx, f.now); err != nil || ok {
		t.Fatalf("empty: ok %v, err %v; want nothing due", ok, err)
	}

	claimed := f.insertAt(t, f.now.Add(-time.Hour)).ID // then delivering: not due
	if _, err := f.store.Claim(ctx, claimed, f.now, time.Minute); err != nil {
		t.Fatal(err)
	}

	f.insertAt(t, f.now.Add(-2*time.Minute))
	f.insertAt(t, f.now.Add(-time.Minute))
	f.insertAt(t, f.now.Add(time.Minute)) // not due yet

	oldest, ok, err := f.store.OldestDue(ctx, f.now)
	if err != nil || !ok || !oldest.Equal(f.now.Add(-2*time.Minute)) {
		t.Fatalf("oldest due %v (ok %v, err %v), want %v", oldest, ok, err,
			f.now.Add(-2*time.Minute))
	}
}

// The trace context stored at accept comes back with the claim; none is
// stored as none.
func TestTraceparentTravelsWithTheMessage(t *testing.T) {
	t.Parallel()

	f := newFixture(t)
	ctx := context.Background()
	const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

	for _, want := range []string{tp, ""} {
		acc, err := f.store.InsertMessage(ctx, storage.NewMessage{
			OrgID: f.orgID, URL: "http://example.com/", Method: "POST", Payload: []byte(`{}`),
			Traceparent: want, Now: f.now,
		})
		if err != nil {
			t.Fatal(err)
		}

		c, err := f.store.Claim(ctx, acc.ID, f.now, time.Minute)
		if err != nil {
			t.Fatal(err)
		}

		if c.Traceparent != want {
			t.Errorf("claimed traceparent %q, want %q", c.Traceparent, want)
		}
	}
}

// insertAt stores a message that falls due at due.
func (f fixture) insertAt(t *testing.T, due time.Time) storage.Accepted {
	t.Helper()

	acc, err := f.store.InsertMessage(context.Background(), storage.NewMessage{
		OrgID: f.orgID, URL: "http://example.com/", Method: "POST", Payload: []byte(`{}`),
		Now: due,
	})
	if err != nil {
		t.Fatal(err)
	}

	return acc
}
