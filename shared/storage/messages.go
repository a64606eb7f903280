package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Message states. A message moves pending -> delivering -> success, or
// delivering -> retry -> delivering ... -> failed.
const (
	StatePending    = "pending"
	StateDelivering = "delivering"
	StateRetry      = "retry"
	StateSuccess    = "success"
	StateFailed     = "failed"
)

// States lists every state, in life-cycle order.
var States = []string{StatePending, StateDelivering, StateRetry, StateSuccess, StateFailed}

// NewMessage is what accepting a webhook stores.
type NewMessage struct {
	OrgID          uuid.UUID
	URL            string
	Method         string
	Payload        []byte
	EventType      string
	IdempotencyKey string
	RequestHash    []byte
	// Traceparent is the W3C trace context of the accepting request; empty
	// (stored as NULL) when tracing is off.
	Traceparent string
	Now         time.Time
}

// Accepted is the outcome of InsertMessage.
type Accepted struct {
	ID    uuid.UUID
	State string
	// Replayed is true when the idempotency key matched an earlier, identical
	// request: ID is that request's message and nothing new was stored.
	Replayed bool
}

// InsertMessage stores a new pending message, due now, and marks it queued
// (the caller pushes its id right after). With an idempotency key, a second
// identical request returns the first message; a different request with the
// same key is ErrIdempotencyConflict. Concurrent identical requests store one
// message: the unique index makes the others wait and then see it.
func (s *Store) InsertMessage(ctx context.Context, m NewMessage) (Accepted, error) {
	id := uuid.New()

	tag, err := s.pool.Exec(ctx, `
		INSERT INTO messages (id, org_id, url, method, payload, event_type, idempotency_key,
			request_hash, state, next_attempt_at, last_queued_at, created_at, updated_at,
			traceparent)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $9, $9, $9, $10)
		ON CONFLICT (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING`,
		id, m.OrgID, m.URL, m.Method, m.Payload, m.EventType, nullable(m.IdempotencyKey),
		m.RequestHash, m.Now, nullable(m.Traceparent))
	if err != nil {
		return Accepted{}, fmt.Errorf("insert message: %w", translate(err))
	}

	if tag.RowsAffected() == 1 {
		return Accepted{ID: id, State: StatePending}, nil
	}

	return s.replay(ctx, m)
}

// nullable stores an empty string as NULL.
func nullable(s string) *string {
	if s == "" {
		return nil
	}

	return &s
}

func (s *Store) replay(ctx context.Context, m NewMessage) (Accepted, error) {
	var a Accepted
	var hash []byte

	err := s.pool.QueryRow(ctx, `
		SELECT id, state, request_hash FROM messages
		WHERE org_id = $1 AND idempotency_key = $2`, m.OrgID, m.IdempotencyKey).
		Scan(&a.ID, &a.State, &hash)
	if err != nil {
		return Accepted{}, fmt.Errorf("find idempotent message: %w", translate(err))
	}

	if string(hash) != string(m.RequestHash) {
		return Accepted{}, fmt.Errorf("insert message: %w", ErrIdempotencyConflict)
	}

	a.Replayed = true

	return a, nil
}

// MarkUnqueued forgets that a message's id was handed to Redis, so the next
// sweep pushes it at once. Used when the push after the commit failed.
func (s *Store) MarkUnqueued(ctx context.Context, id uuid.UUID) error {
	_, err := s.pool.Exec(ctx, `UPDATE messages SET last_queued_at = NULL WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("mark message unqueued: %w", translate(err))
	}

	return nil
}

// Claimed is a message a worker holds under a lease, with what it needs to
// deliver it.
type Claimed struct {
	ID            uuid.UUID
	OrgID         uuid.UUID
	URL           string
	Method        string
	Payload       []byte
	EventType     string
	Attempt       int
	SigningSecret string
	// Traceparent is the trace context stored at accept; empty when none.
	Traceparent string
}

// Claim takes a message for one attempt: from pending or retry once it is
// due, or from delivering once the previous holder's lease ran out. It sets
// the lease and counts the attempt in one conditional UPDATE, so two workers
// can never hold the same message. ErrNotFound means someone else holds it, it
// is not due yet, or it is finished: the caller drops the id.
func (s *Store) Claim(ctx context.Context, id uuid.UUID, now time.Time,
	lease time.Duration) (Claimed, error) {
	var c Claimed

	err := s.pool.QueryRow(ctx, `
		UPDATE messages m SET state = 'delivering', lease_until = $3,
			attempt_count = attempt_count + 1, updated_at = $2
		FROM organizations o
		WHERE m.id = $1 AND o.id = m.org_id AND (
			(m.state IN ('pending', 'retry') AND m.next_attempt_at <= $2) OR
			(m.state = 'delivering' AND m.lease_until <= $2))
		RETURNING m.id, m.org_id, m.url, m.method, m.payload, m.event_type,
			m.attempt_count, o.signing_secret, coalesce(m.traceparent, '')`,
		id, now, now.Add(lease)).
		Scan(&c.ID, &c.OrgID, &c.URL, &c.Method, &c.Payload, &c.EventType, &c.Attempt,
			&c.SigningSecret, &c.Traceparent)
	if err != nil {
		return Claimed{}, fmt.Errorf("claim message: %w", translate(err))
	}

	return c, nil
}

// Release hands a claimed message back without using up its attempt: for a
// worker that shuts down before it delivered, or that defers a message whose
// host is busy. The message is due again at due and marked queued at now,
// since the caller queues its id again.
func (s *Store) Release(ctx context.Context, id uuid.UUID, attempt int,
	now, due time.Time) error {
	_, err := s.pool.Exec(ctx, `
		UPDATE messages SET state = CASE WHEN attempt_count = 1 THEN 'pending' ELSE 'retry' END,
			attempt_count = attempt_count - 1, lease_until = NULL, next_attempt_at = $4,
			last_queued_at = $3, updated_at = $3
		WHERE id = $1 AND attempt_count = $2 AND state = 'delivering'`, id, attempt, now, due)
	if err != nil {
		return fmt.Errorf("release message: %w", translate(err))
	}

	return nil
}

// Attempt is one delivery attempt as recorded.
type Attempt struct {
	ID        uuid.UUID
	MessageID uuid.UUID
	OrgID     uuid.UUID
	Number    int
	// Outcome is what the attempt led to: success, retry or failed.
	Outcome           string
	StatusCode        int // 0 when no response arrived
	ResponseBody      string
	ResponseTruncated bool
	ErrorClass        string
	ErrorMessage      string
	Duration          time.Duration
	AttemptedAt       time.Time
}

// Outcome is an attempt together with what it does to its message.
type Outcome struct {
	Attempt
	// State is success, retry or failed; the attempt's Outcome is set to it.
	State string
	// NextAttemptAt is when a retry is due; ignored for final states.
	NextAttemptAt time.Time
	// FailureReason says why a message failed for good.
	FailureReason string
	Now           time.Time
}

// ErrFenced means the lease was taken over: another worker holds a newer
// attempt of the message, so this outcome must not change it.
var ErrFenced = errors.New("lease taken over by a newer attempt")

// Record stores the attempt and moves the message on, in one transaction.
// The update is fenced by the attempt number: a worker whose lease was taken
// over keeps its attempt row (it did happen) but returns ErrFenced and
// changes nothing else. A message deleted meanwhile (its organisation was)
// is ErrNotFound.
func (s *Store) Record(ctx context.Context, o Outcome) error {
	o.Outcome = o.State

	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := insertAttempt(ctx, tx, o.Attempt); err != nil {
			return err
		}

		tag, err := tx.Exec(ctx, `
			UPDATE messages SET state = $3, lease_until = NULL, updated_at = $4,
				next_attempt_at = CASE WHEN $3 = 'retry' THEN $5::timestamptz END,
				last_queued_at = CASE WHEN $3 = 'retry' THEN $4::timestamptz END,
				failure_reason = $6, last_status_code = $7, last_attempt_at = $8,
				last_duration_ms = $9
			WHERE id = $1 AND attempt_count = $2 AND state = 'delivering'`,
			o.MessageID, o.Number, o.State, o.Now, o.NextAttemptAt, o.FailureReason,
			nullableStatus(o.StatusCode), o.AttemptedAt, o.Duration.Milliseconds())
		if err != nil {
			return err
		}

		if tag.RowsAffected() == 0 {
			return ErrFenced
		}

		return nil
	})
	if errors.Is(err, ErrFenced) {
		return s.recordFenced(ctx, o.Attempt)
	}

	if err != nil {
		return fmt.Errorf("record attempt: %w", translate(err))
	}

	return nil
}

func (s *Store) recordFenced(ctx context.Context, a Attempt) error {
	if err := insertAttempt(ctx, s.pool, a); err != nil {
		return fmt.Errorf("record fenced attempt: %w", translate(err))
	}

	return fmt.Errorf("record attempt: %w", ErrFenced)
}

type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func insertAttempt(ctx context.Context, db execer, a Attempt) error {
	_, err := db.Exec(ctx, `
		INSERT INTO delivery_attempts (id, message_id, org_id, attempt_number, outcome,
			status_code, response_body, response_truncated, error_class, error_message,
			duration_ms, attempted_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (message_id, attempt_number) DO NOTHING`,
		a.ID, a.MessageID, a.OrgID, a.Number, a.Outcome, nullableStatus(a.StatusCode),
		a.ResponseBody, a.ResponseTruncated, a.ErrorClass, a.ErrorMessage,
		a.Duration.Milliseconds(), a.AttemptedAt)

	return err
}

func nullableStatus(code int) *int {
	if code == 0 {
		return nil
	}

	return &code
}

// DueIDs marks and returns up to limit messages whose id should be pushed to
// Redis: pending or retry messages that are due and were not queued within
// requeueAfter, and delivering messages whose lease ran out since they were
// last queued. Rows locked by a concurrent sweep are skipped, so several
// sweepers split the work instead of pushing the same ids.
func (s *Store) DueIDs(ctx context.Context, now time.Time, requeueAfter time.Duration,
	limit int) ([]uuid.UUID, error) {
	return queryAll(ctx, s, "find due messages", `
		WITH due AS (
			SELECT id FROM messages
			WHERE state IN ('pending', 'retry') AND next_attempt_at <= $1
			  AND (last_queued_at IS NULL OR last_queued_at <= $2)
			ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED
		), expired AS (
			SELECT id FROM messages
			WHERE state = 'delivering' AND lease_until <= $1
			  AND (last_queued_at IS NULL OR last_queued_at < lease_until)
			ORDER BY lease_until LIMIT $3 FOR UPDATE SKIP LOCKED
		)
		UPDATE messages m SET last_queued_at = $1
		WHERE m.id IN (SELECT id FROM due UNION ALL SELECT id FROM expired)
		RETURNING m.id`,
		pgx.RowTo[uuid.UUID], now, now.Add(-requeueAfter), limit)
}

// MarkUnqueuedMany is MarkUnqueued for many ids, for a sweep whose push
// failed after DueIDs marked them.
func (s *Store) MarkUnqueuedMany(ctx context.Context, ids []uuid.UUID) error {
	_, err := s.pool.Exec(ctx,
		`UPDATE messages SET last_queued_at = NULL WHERE id = ANY($1)`, ids)
	if err != nil {
		return fmt.Errorf("mark messages unqueued: %w", translate(err))
	}

	return nil
}

// ErrNotRetryable means a manual retry was asked for a message that has not
// failed.
var ErrNotRetryable = errors.New("only failed messages can be retried")

// RetryNow makes a failed message due again, for one more attempt with the
// same id; the attempt numbers go on from where they stopped. The caller
// pushes the id.
func (s *Store) RetryNow(ctx context.Context, orgID, id uuid.UUID, now time.Time) error {
	tag, err := s.pool.Exec(ctx, `
		UPDATE messages SET state = 'pending', next_attempt_at = $3, last_queued_at = $3,
			failure_reason = '', updated_at = $3
		WHERE id = $1 AND org_id = $2 AND state = 'failed'`, id, orgID, now)
	if err != nil {
		return fmt.Errorf("retry message: %w", translate(err))
	}

	if tag.RowsAffected() == 1 {
		return nil
	}

	var exists bool

	err = s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT FROM messages WHERE id = $1 AND org_id = $2)`,
		id, orgID).Scan(&exists)
	if err != nil {
		return fmt.Errorf("retry message: %w", translate(err))
	}

	if !exists {
		return fmt.Errorf("retry message: %w", ErrNotFound)
	}

	return fmt.Errorf("retry message: %w", ErrNotRetryable)
}
