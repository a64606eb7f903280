package sweep_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/chis-dev/chis/shared/clock"
	"github.com/chis-dev/chis/shared/queue"
	"github.com/chis-dev/chis/shared/storage"
	"github.com/chis-dev/chis/shared/sweep"
	"github.com/chis-dev/chis/shared/testenv"
)

// The backlog gauges read exactly what waits: ids in the ready list, retries
// in the scheduled set, and the age of the oldest due message, with messages
// that are not due yet or already finished left out of the lag.
func TestBacklogReportsQueueAndLag(t *testing.T) {
	t.Parallel()

	store, _ := testenv.NewStore(t)
	q, _ := testenv.NewQueue(t)
	clk := clock.NewFake(time.Now().Truncate(time.Millisecond))
	orgID := newOrg(t, store)
	ctx := context.Background()

	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(sweep.NewBacklog(store, q, clk))

	if got := gather(t, reg); got["webhook_oldest_due_age_seconds"] != 0 {
		t.Fatalf("lag with nothing due: %v, want 0", got["webhook_oldest_due_age_seconds"])
	}

	insertDue(t, store, orgID, clk.Now().Add(-90*time.Second))
	insertDue(t, store, orgID, clk.Now().Add(-10*time.Second))
	insertDue(t, store, orgID, clk.Now().Add(time.Hour)) // not due: no lag

	if err := q.Push(ctx, uuid.New(), uuid.New()); err != nil {
		t.Fatal(err)
	}

	for range 3 {
		if err := q.Schedule(ctx, uuid.New(), clk.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}

	want := map[string]float64{
		"webhook_queue_ready_messages":      2,
		"webhook_queue_scheduled_messages":  3,
		"webhook_oldest_due_age_seconds":    90,
		"webhook_backlog_read_errors_total": 0,
	}
	if got := gather(t, reg); !equal(got, want) {
		t.Fatalf("backlog %v, want %v", got, want)
	}
}

// A store that cannot be reached costs its gauge, not the scrape: the other
// gauges are still there, the failure is counted, and the answer comes within
// the collector's timeout.
func TestBacklogWithoutRedisStillReportsLag(t *testing.T) {
	t.Parallel()

	store, _ := testenv.NewStore(t)
	orgID := newOrg(t, store)
	clk := clock.NewFake(time.Now())

	// Nothing listens on port 1: every Redis read fails at once.
	q, err := queue.Connect("redis://127.0.0.1:1/0", "chis-none")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Close() })

	insertDue(t, store, orgID, clk.Now().Add(-time.Minute))

	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(sweep.NewBacklog(store, q, clk))

	start := time.Now()
	got := gather(t, reg)

	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("scrape took %v with Redis down", took)
	}

	if _, ok := got["webhook_queue_ready_messages"]; ok {
		t.Error("ready gauge reported although Redis is down")
	}

	if got["webhook_oldest_due_age_seconds"] < 59 {
		t.Errorf("lag %v with Redis down, want about 60", got["webhook_oldest_due_age_seconds"])
	}

	if got["webhook_backlog_read_errors_total"] != 2 {
		t.Errorf("read errors %v, want 2 (ready and scheduled)",
			got["webhook_backlog_read_errors_total"])
	}
}

func insertDue(t *testing.T, store *storage.Store, orgID uuid.UUID, due time.Time) {
	t.Helper()

	_, err := store.InsertMessage(context.Background(), storage.NewMessage{
		OrgID: orgID, URL: "http://example.com/", Method: "POST", Payload: []byte(`1`),
		Now: due,
	})
	if err != nil {
		t.Fatal(err)
	}
}

// gather returns each family's value, summed over its series.
func gather(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()

	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}

	out := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			out[f.GetName()] += value(m)
		}
	}

	return out
}

func value(m *dto.Metric) float64 {
	if m.GetGauge() != nil {
		return m.GetGauge().GetValue()
	}

	return m.GetCounter().GetValue()
}

func equal(got, want map[string]float64) bool {
	if len(got) != len(want) {
		return false
	}

	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			return false
		}
	}

	return true
}
