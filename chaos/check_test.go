package chaos

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// waitQuiet waits until none of ids is pending, retry or delivering.
func (e *env) waitQuiet(t *testing.T, ids []string, within time.Duration) {
	t.Helper()

	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		var open int

		err := e.query(func(c *pgx.Conn) error {
			return c.QueryRow(context.Background(), `
				SELECT count(*) FROM messages
				WHERE id = ANY($1) AND state NOT IN ('success', 'failed')`, uuids(ids)).
				Scan(&open)
		})
		if err == nil && open == 0 {
			return
		}

		<-time.After(200 * time.Millisecond)
	}
}

// count fills in lost, stuck, overlap, duplicates and mismatched.
func (e *env) count(t *testing.T, ids []string, f *figures) {
	t.Helper()

	states := map[string]string{}
	// id -> [rows with a status code, rows with neither a status code nor a class]
	attempts := map[string][2]int{}

	err := e.query(func(c *pgx.Conn) error {
		ctx := context.Background()

		rows, err := c.Query(ctx, `SELECT id::text, state FROM messages WHERE id = ANY($1)`,
			uuids(ids))
		if err != nil {
			return err
		}

		var id, state string
		if _, err := pgx.ForEachRow(rows, []any{&id, &state}, func() error {
			states[id] = state
			return nil
		}); err != nil {
			return err
		}

		rows, err = c.Query(ctx, `
			SELECT message_id::text,
				count(*) FILTER (WHERE status_code IS NOT NULL),
				count(*) FILTER (WHERE status_code IS NULL AND error_class = '')
			FROM delivery_attempts WHERE message_id = ANY($1) GROUP BY message_id`, uuids(ids))
		if err != nil {
			return err
		}

		var withStatus, unexplained int
		_, err = pgx.ForEachRow(rows, []any{&id, &withStatus, &unexplained}, func() error {
			attempts[id] = [2]int{withStatus, unexplained}
			return nil
		})

		return err
	})
	if err != nil {
		t.Fatalf("%s: read results: %v", f.name, err)
	}

	for _, id := range ids {
		e.countOne(id, states, attempts, f)
	}
}

func (e *env) countOne(id string, states map[string]string, attempts map[string][2]int,
	f *figures) {
	state, ok := states[id]

	switch {
	case !ok:
		f.lost++
		return
	case state != "success" && state != "failed":
		f.stuck++
	}

	seen := e.receiver.get("msg_" + id)
	if seen.most > 1 {
		f.overlap++
	}

	f.duplicates += max(0, seen.successes-1)

	a := attempts[id]
	if a[0] > seen.hits || a[1] > 0 {
		f.mismatched++
	}
}

func (e *env) query(fn func(c *pgx.Conn) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	c, err := pgx.Connect(ctx, e.dbURL)
	if err != nil {
		return err
	}
	defer func() { _ = c.Close(ctx) }()

	return fn(c)
}

func uuids(ids []string) []uuid.UUID {
	out := make([]uuid.UUID, 0, len(ids))
	for _, id := range ids {
		if u, err := uuid.Parse(id); err == nil {
			out = append(out, u)
		}
	}

	return out
}
