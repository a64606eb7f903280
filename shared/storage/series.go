package storage

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// SeriesPoint counts one time bucket's attempts by outcome, with latency
// percentiles (nil when the bucket has no attempt).
type SeriesPoint struct {
	Time    time.Time
	Success int
	Failed  int
	Retried int
	P50Ms   *float64
	P95Ms   *float64
	P99Ms   *float64
}

// Series returns the organisation's attempts in [from, to), in buckets of
// the given width, oldest first, with empty buckets included.
func (s *Store) Series(ctx context.Context, orgID uuid.UUID, from, to time.Time,
	bucket time.Duration) ([]SeriesPoint, error) {
	return queryAll(ctx, s, "read time series", `
		WITH buckets AS (
			SELECT generate_series(date_bin($4::interval, $2::timestamptz, $2::timestamptz),
				$3::timestamptz - $4::interval, $4::interval) AS t
		), attempts AS (
			SELECT date_bin($4::interval, attempted_at, $2::timestamptz) AS t, outcome,
				duration_ms
			FROM delivery_attempts
			WHERE org_id = $1 AND attempted_at >= $2 AND attempted_at < $3
		)
		SELECT b.t,
			count(*) FILTER (WHERE a.outcome = 'success'),
			count(*) FILTER (WHERE a.outcome = 'failed'),
			count(*) FILTER (WHERE a.outcome = 'retry'),
			percentile_cont(0.50) WITHIN GROUP (ORDER BY a.duration_ms),
			percentile_cont(0.95) WITHIN GROUP (ORDER BY a.duration_ms),
			percentile_cont(0.99) WITHIN GROUP (ORDER BY a.duration_ms)
		FROM buckets b LEFT JOIN attempts a ON a.t = b.t
		GROUP BY b.t ORDER BY b.t`,
		func(r pgx.CollectableRow) (SeriesPoint, error) {
			var p SeriesPoint
			err := r.Scan(&p.Time, &p.Success, &p.Failed, &p.Retried, &p.P50Ms, &p.P95Ms, &p.P99Ms)

			return p, err
		}, orgID, from, to, bucket)
}
