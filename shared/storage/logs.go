package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// MessageRow is one line of the webhook log: a message and its latest attempt.
type MessageRow struct {
	ID             uuid.UUID
	URL            string
	Method         string
	EventType      string
	State          string
	AttemptCount   int
	LastStatusCode *int
	LastAttemptAt  *time.Time
	LastDurationMs *int
	CreatedAt      time.Time
}

// LogFilter selects and pages the webhook log.
type LogFilter struct {
	State  string // empty for every state
	Search string // a substring of the URL, matched without case
	// From and To bound the creation time, when not zero: From <= t < To.
	From   time.Time
	To     time.Time
	Offset int
	Limit  int
}

// ListMessages returns one page of the organisation's messages, newest first,
// and how many match the filter in all.
func (s *Store) ListMessages(ctx context.Context, orgID uuid.UUID,
	f LogFilter) ([]MessageRow, int, error) {
	where, args := logWhere(orgID, f)

	var total int

	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM messages WHERE `+where, args...).
		Scan(&total)
	if err != nil {
		return nil, 0, fmt.Errorf("count messages: %w", translate(err))
	}

	args = append(args, f.Limit, f.Offset)
	list, err := queryAll(ctx, s, "list messages", fmt.Sprintf(`
		SELECT id, url, method, event_type, state, attempt_count, last_status_code,
			last_attempt_at, last_duration_ms, created_at
		FROM messages WHERE %s
		ORDER BY created_at DESC, id DESC LIMIT $%d OFFSET $%d`,
		where, len(args)-1, len(args)), scanMessageRow, args...)
	if err != nil {
		return nil, 0, err
	}

	return list, total, nil
}

func scanMessageRow(r pgx.CollectableRow) (MessageRow, error) {
	var m MessageRow
	err := r.Scan(&m.ID, &m.URL, &m.Method, &m.EventType, &m.State, &m.AttemptCount,
		&m.LastStatusCode, &m.LastAttemptAt, &m.LastDurationMs, &m.CreatedAt)

	return m, err
}

func logWhere(orgID uuid.UUID, f LogFilter) (string, []any) {
	conds := []string{"org_id = $1"}
	args := []any{orgID}

	if f.State != "" {
		args = append(args, f.State)
		conds = append(conds, fmt.Sprintf("state = $%d", len(args)))
	}

	if f.Search != "" {
		args = append(args, "%"+escapeLike(f.Search)+"%")
		conds = append(conds, fmt.Sprintf("url ILIKE $%d", len(args)))
	}

	if !f.From.IsZero() {
		args = append(args, f.From)
		conds = append(conds, fmt.Sprintf("created_at >= $%d", len(args)))
	}

	if !f.To.IsZero() {
		args = append(args, f.To)
		conds = append(conds, fmt.Sprintf("created_at < $%d", len(args)))
	}

	return strings.Join(conds, " AND "), args
}

// escapeLike makes a search term match literally inside a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// MessageDetail is a message with every attempt, oldest first.
type MessageDetail struct {
	ID            uuid.UUID
	URL           string
	Method        string
	Payload       []byte
	EventType     string
	State         string
	AttemptCount  int
	NextAttemptAt *time.Time
	FailureReason string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Attempts      []Attempt
}

// Message returns one of the organisation's messages with its attempts. A
// message of another organisation is ErrNotFound, like one that does not exist.
func (s *Store) Message(ctx context.Context, orgID, id uuid.UUID) (MessageDetail, error) {
	var d MessageDetail

	err := s.pool.QueryRow(ctx, `
		SELECT id, url, method, payload, event_type, state, attempt_count, next_attempt_at,
			failure_reason, created_at, updated_at
		FROM messages WHERE id = $1 AND org_id = $2`, id, orgID).
		Scan(&d.ID, &d.URL, &d.Method, &d.Payload, &d.EventType, &d.State, &d.AttemptCount,
			&d.NextAttemptAt, &d.FailureReason, &d.CreatedAt, &d.UpdatedAt)
	if err != nil {
		return MessageDetail{}, fmt.Errorf("read message: %w", translate(err))
	}

	d.Attempts, err = s.attempts(ctx, id)
	if err != nil {
		return MessageDetail{}, err
	}

	return d, nil
}

func (s *Store) attempts(ctx context.Context, messageID uuid.UUID) ([]Attempt, error) {
	return queryAll(ctx, s, "read attempts", `
		SELECT id, message_id, attempt_number, coalesce(status_code, 0), response_body,
			response_truncated, error_class, error_message, duration_ms, attempted_at
		FROM delivery_attempts WHERE message_id = $1 ORDER BY attempt_number`,
		scanAttempt, messageID)
}

func scanAttempt(r pgx.CollectableRow) (Attempt, error) {
	var a Attempt
	var ms int64
	err := r.Scan(&a.ID, &a.MessageID, &a.Number, &a.StatusCode, &a.ResponseBody,
		&a.ResponseTruncated, &a.ErrorClass, &a.ErrorMessage, &ms, &a.AttemptedAt)
	a.Duration = time.Duration(ms) * time.Millisecond

	return a, err
}

// Stats counts the organisation's messages by state.
func (s *Store) Stats(ctx context.Context, orgID uuid.UUID) (map[string]int, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT state, count(*) FROM messages WHERE org_id = $1 GROUP BY state`, orgID)
	if err != nil {
		return nil, fmt.Errorf("count messages by state: %w", translate(err))
	}

	counts := make(map[string]int, len(States))
	for _, st := range States {
		counts[st] = 0
	}

	var state string
	var n int

	_, err = pgx.ForEachRow(rows, []any{&state, &n}, func() error {
		counts[state] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count messages by state: %w", translate(err))
	}

	return counts, nil
}
