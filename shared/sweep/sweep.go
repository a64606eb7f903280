// Package sweep is the safety net of the pipeline, run by the Tick function
// every 5 seconds: it finds in PostgreSQL the messages that should be in
// Redis and may not be (due and not queued lately, or held under a lease
// that ran out) and pushes their ids again. It is idempotent and safe to run
// several times at once: rows are taken with SKIP LOCKED and marked as queued
// in the same statement.
package sweep

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/chis-dev/chis/shared/clock"
	"github.com/chis-dev/chis/shared/queue"
	"github.com/chis-dev/chis/shared/storage"
	"github.com/chis-dev/chis/shared/telemetry"
)

// Sweeper runs sweeps. Every field is required.
type Sweeper struct {
	Store *storage.Store
	Queue *queue.Queue
	Clock clock.Clock
	Log   *slog.Logger
	// Batch is how many ids one query takes.
	Batch int
	// Budget bounds one sweep; what is left waits for the next tick.
	Budget time.Duration
	// RequeueAfter is how long a due id may sit in Redis before it is
	// pushed again.
	RequeueAfter time.Duration
}

// Result says what one sweep did.
type Result struct {
	Queued   int
	Duration time.Duration
}

// Run sweeps in batches until nothing is left or the budget is spent.
func (s *Sweeper) Run(ctx context.Context) (Result, error) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, s.Budget)
	defer cancel()

	var res Result
	for {
		n, err := s.batch(ctx)
		res.Queued += n
		res.Duration = time.Since(start)

		if err != nil {
			return res, err
		}

		if n < s.Batch || ctx.Err() != nil {
			return res, nil
		}
	}
}

func (s *Sweeper) batch(ctx context.Context) (int, error) {
	ids, err := s.Store.DueIDs(ctx, s.Clock.Now(), s.RequeueAfter, s.Batch)
	if err != nil {
		return 0, fmt.Errorf("sweep: %w", err)
	}

	if err := s.Queue.Push(ctx, ids...); err != nil {
		s.unmark(ctx, ids)
		return 0, fmt.Errorf("sweep: %w", err)
	}

	return len(ids), nil
}

// unmark lets the next sweep take ids whose push failed, instead of waiting
// RequeueAfter for them.
func (s *Sweeper) unmark(ctx context.Context, ids []uuid.UUID) {
	uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()

	if err := s.Store.MarkUnqueuedMany(uctx, ids); err != nil {
		s.Log.WarnContext(ctx, "could not unmark swept ids", telemetry.KeyError, err)
	}
}
