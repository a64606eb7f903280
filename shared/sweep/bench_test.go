package sweep_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/chis-dev/chis/shared/clock"
	"github.com/chis-dev/chis/shared/sweep"
	"github.com/chis-dev/chis/shared/testenv"
)

// BenchmarkSweepBacklog measures how long sweeps with the default batch and
// budget take to queue a backlog of 100,000 due messages whose ids Redis
// lost: the target is well under a minute (twelve 5-second ticks).
func BenchmarkSweepBacklog(b *testing.B) {
	const backlog = 100_000

	store, dbURL := testenv.NewStore(b)
	q, prefix := testenv.NewQueue(b)
	rdb := testenv.Redis(b)
	orgID := newOrg(b, store)
	ctx := context.Background()

	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()

	_, err = conn.Exec(ctx, `
		INSERT INTO messages (id, org_id, url, method, payload, state, next_attempt_at,
			created_at, updated_at)
		SELECT gen_random_uuid(), $1, 'https://example.com/', 'POST', '{}', 'pending',
			now() - interval '1 minute', now(), now()
		FROM generate_series(1, $2)`, orgID, backlog)
	if err != nil {
		b.Fatal(err)
	}

	s := &sweep.Sweeper{Store: store, Queue: q, Clock: clock.System{}, Batch: 2000,
		Budget: 4 * time.Second, RequeueAfter: 30 * time.Second,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}

	for b.Loop() {
		b.StopTimer()
		if _, err := conn.Exec(ctx, `UPDATE messages SET last_queued_at = NULL`); err != nil {
			b.Fatal(err)
		}
		rdb.Del(ctx, prefix+":ready")
		b.StartTimer()

		ticks := 0
		for queued := 0; queued < backlog; ticks++ {
			res, err := s.Run(ctx)
			if err != nil {
				b.Fatal(err)
			}

			queued += res.Queued
		}

		b.ReportMetric(float64(ticks), "ticks")
	}

	b.ReportMetric(float64(backlog)/b.Elapsed().Seconds()*float64(b.N), "ids/s")
}
