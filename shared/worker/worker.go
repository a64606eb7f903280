// Package worker delivers messages: it pops an id from Redis, claims the
// message in PostgreSQL under a lease, signs and sends it, and records the
// attempt together with what follows (success, a retry at its due time, or
// failure). Claims make duplicate ids harmless; leases make a crashed worker's
// message deliverable again; every state change lives in PostgreSQL.
package worker

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"

	"github.com/chis-dev/chis/shared/clock"
	"github.com/chis-dev/chis/shared/outbound"
	"github.com/chis-dev/chis/shared/queue"
	"github.com/chis-dev/chis/shared/retry"
	"github.com/chis-dev/chis/shared/storage"
	"github.com/chis-dev/chis/shared/telemetry"
)

// Sender makes one delivery attempt; *outbound.Client is the real one.
type Sender interface {
	Do(ctx context.Context, r outbound.Request) outbound.Result
}

// Deps is what a Worker needs. Every field but Metrics and Tracer is required.
type Deps struct {
	Store       *storage.Store
	Queue       *queue.Queue
	Sender      Sender
	Policy      retry.Policy
	Clock       clock.Clock
	Log         *slog.Logger
	Concurrency int
	// Lease is how long a claim lasts; longer than one attempt can take.
	Lease time.Duration
	// PerHost bounds the deliveries in flight to one host; a message whose
	// host is at its limit is deferred by HostBusyDelay without using up an
	// attempt. Zero means Concurrency (no per-host bound).
	PerHost       int
	HostBusyDelay time.Duration
	Metrics       *Metrics
	// Tracer makes the attempt spans; nil means the global provider's, a
	// no-op unless tracing is on.
	Tracer trace.Tracer
}

// Worker runs deliveries, Concurrency at a time.
type Worker struct {
	Deps

	hosts    *hostSlots
	inflight sync.WaitGroup
}

// New returns a worker.
func New(d Deps) *Worker {
	if d.Metrics == nil {
		d.Metrics = NewMetrics(nil)
	}

	if d.Tracer == nil {
		d.Tracer = otel.Tracer(tracerName)
	}

	if d.PerHost <= 0 {
		d.PerHost = d.Concurrency
	}

	if d.HostBusyDelay <= 0 {
		d.HostBusyDelay = time.Second
	}

	return &Worker{Deps: d, hosts: newHostSlots(d.PerHost)}
}

const (
	// popWait is how long one blocking pop waits; it is also how soon a
	// shutdown is noticed.
	popWait = time.Second
	// promoteEvery is how often due retries move to the ready list: the
	// precision of the retry schedule.
	promoteEvery = 100 * time.Millisecond
	promoteBatch = 1000
	// pauseOnError keeps a worker from spinning while Redis is down.
	pauseOnError = 500 * time.Millisecond
)

// Run delivers until ctx ends, then stops popping, lets the deliveries in
// flight finish (each is bounded by the attempt timeout) and returns.
func (w *Worker) Run(ctx context.Context) {
	var bg sync.WaitGroup

	bg.Go(func() { w.promote(ctx) })

	slots := make(chan struct{}, w.Concurrency)
	for w.next(ctx, slots) {
	}

	w.inflight.Wait()
	bg.Wait()
}

// next waits for a free slot, pops one id and starts its delivery. It
// reports false once ctx has ended.
func (w *Worker) next(ctx context.Context, slots chan struct{}) bool {
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		return false
	}

	// The pop must not be cut by the shutdown: an id Redis already handed
	// over would be lost from the queue. It returns within popWait anyway.
	id, err := w.Queue.Pop(context.WithoutCancel(ctx), popWait)
	if err != nil {
		<-slots
		w.popFailed(ctx, err)

		return ctx.Err() == nil
	}

	if ctx.Err() != nil {
		// Popped while shutting down: give it back untouched.
		<-slots
		w.putBack(ctx, id)

		return false
	}

	w.inflight.Go(func() {
		defer func() { <-slots }()
		w.deliver(context.WithoutCancel(ctx), id)
	})

	return true
}

func (w *Worker) popFailed(ctx context.Context, err error) {
	if errors.Is(err, queue.ErrEmpty) {
		return
	}

	w.Log.WarnContext(ctx, "pop failed", telemetry.KeyError, err)
	sleep(ctx, pauseOnError)
}

// putBack returns an id to the front of the queue. If Redis refuses, the
// message is still in PostgreSQL and the sweep finds it.
func (w *Worker) putBack(ctx context.Context, id uuid.UUID) {
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()

	if err := w.Queue.PushFront(pctx, id); err != nil {
		w.Log.WarnContext(ctx, "could not put id back; the sweep will requeue it",
			telemetry.KeyMessageID, id, telemetry.KeyError, err)
	}
}

// promote moves retries that fell due to the ready list, so each is made
// at its time rather than at the next sweep.
func (w *Worker) promote(ctx context.Context) {
	t := time.NewTicker(promoteEvery)
	defer t.Stop()

	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}

		if _, err := w.Queue.PromoteDue(ctx, w.Clock.Now(), promoteBatch); err != nil &&
			ctx.Err() == nil {
			w.Log.WarnContext(ctx, "promote due retries failed", telemetry.KeyError, err)
			sleep(ctx, pauseOnError)
		}
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()

	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
