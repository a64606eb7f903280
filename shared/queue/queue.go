// Package queue keeps the Redis hints of what to deliver next: a ready list
// of message ids that workers pop, and a sorted set of ids by due time for
// retries, which workers move to the ready list when they fall due.
//
// Nothing here is the truth. Redis may lose any of it at any moment; the sweep
// finds such messages in PostgreSQL and pushes them again. A duplicate id is
// harmless, because a worker must claim a message in PostgreSQL first.
package queue

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
)

// Queue is the Redis side of the pipeline. It is safe for concurrent use.
type Queue struct {
	rdb       *redis.Client
	ready     string
	scheduled string
}

// Connect returns a Queue on the Redis at url whose keys start with prefix.
// Like the database, Redis may be down at start: errors show on first use.
func Connect(url, prefix string) (*Queue, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("parse redis url: %w", err)
	}

	// Short dial and read deadlines: a Redis that is down must not hold up an
	// API answer; blocking pops set their own, longer deadline.
	opts.DialTimeout = 2 * time.Second
	opts.ReadTimeout = 2 * time.Second
	opts.WriteTimeout = 2 * time.Second

	return New(redis.NewClient(opts), prefix), nil
}

// New wraps an existing client.
func New(rdb *redis.Client, prefix string) *Queue {
	return &Queue{rdb: rdb, ready: prefix + ":ready", scheduled: prefix + ":scheduled"}
}

// Close closes the client.
func (q *Queue) Close() error {
	return q.rdb.Close()
}

// Ping checks that Redis answers.
func (q *Queue) Ping(ctx context.Context) error {
	if err := q.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping redis: %w", err)
	}

	return nil
}

// Push adds ids to the back of the ready list.
func (q *Queue) Push(ctx context.Context, ids ...uuid.UUID) error {
	if len(ids) == 0 {
		return nil
	}

	vals := make([]any, len(ids))
	for i, id := range ids {
		vals[i] = id.String()
	}

	if err := q.rdb.LPush(ctx, q.ready, vals...).Err(); err != nil {
		return fmt.Errorf("push ids: %w", err)
	}

	return nil
}

// PushFront puts an id back at the front of the ready list, for a worker that
// popped it but will not deliver it.
func (q *Queue) PushFront(ctx context.Context, id uuid.UUID) error {
	if err := q.rdb.RPush(ctx, q.ready, id.String()).Err(); err != nil {
		return fmt.Errorf("put id back: %w", err)
	}

	return nil
}

// ErrEmpty means a pop waited its full time and found nothing.
var ErrEmpty = errors.New("queue empty")

// Pop takes the id at the front of the ready list, waiting up to wait for
// one. It returns ErrEmpty when none came. An entry that is not a UUID is
// dropped and reported as an error.
func (q *Queue) Pop(ctx context.Context, wait time.Duration) (uuid.UUID, error) {
	res, err := q.rdb.BRPop(ctx, wait, q.ready).Result()
	if errors.Is(err, redis.Nil) {
		return uuid.Nil, ErrEmpty
	}

	if err != nil {
		return uuid.Nil, fmt.Errorf("pop id: %w", err)
	}

	id, err := uuid.Parse(res[1])
	if err != nil {
		return uuid.Nil, fmt.Errorf("pop id: bad entry: %w", err)
	}

	return id, nil
}

// Schedule notes that id is due at due; PromoteDue moves it to the ready list
// then.
func (q *Queue) Schedule(ctx context.Context, id uuid.UUID, due time.Time) error {
	z := redis.Z{Score: float64(due.UnixMilli()), Member: id.String()}
	if err := q.rdb.ZAdd(ctx, q.scheduled, z).Err(); err != nil {
		return fmt.Errorf("schedule id: %w", err)
	}

	return nil
}

// promote moves up to ARGV[2] ids due by ARGV[1] (Unix ms) from the sorted
// set to the ready list, atomically, so two workers promoting at once never
// push the same id twice.
var promote = redis.NewScript(`
local ids = redis.call('ZRANGE', KEYS[1], '-inf', ARGV[1], 'BYSCORE', 'LIMIT', 0, ARGV[2])
if #ids > 0 then
  redis.call('ZREM', KEYS[1], unpack(ids))
  redis.call('LPUSH', KEYS[2], unpack(ids))
end
return #ids`)

// PromoteDue moves ids that are due by now to the ready list, at most limit
// of them, and says how many it moved.
func (q *Queue) PromoteDue(ctx context.Context, now time.Time, limit int) (int, error) {
	n, err := promote.Run(ctx, q.rdb, []string{q.scheduled, q.ready},
		strconv.FormatInt(now.UnixMilli(), 10), limit).Int()
	if err != nil {
		return 0, fmt.Errorf("promote due ids: %w", err)
	}

	return n, nil
}

// Len is the length of the ready list.
func (q *Queue) Len(ctx context.Context) (int64, error) {
	n, err := q.rdb.LLen(ctx, q.ready).Result()
	if err != nil {
		return 0, fmt.Errorf("queue length: %w", err)
	}

	return n, nil
}

// ScheduledLen is the number of ids in the sorted set of retries waiting for
// their due time.
func (q *Queue) ScheduledLen(ctx context.Context) (int64, error) {
	n, err := q.rdb.ZCard(ctx, q.scheduled).Result()
	if err != nil {
		return 0, fmt.Errorf("scheduled set size: %w", err)
	}

	return n, nil
}
