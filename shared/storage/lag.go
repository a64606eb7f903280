package storage

import (
	"context"
	"fmt"
	"time"
)

// OldestDue returns when the oldest message that is due by now (pending or
// retry, next attempt at or before now) fell due, and false when none is:
// how far delivery lags behind schedule. It reads one entry of the partial
// index messages_due_idx, so it stays cheap however long the backlog.
func (s *Store) OldestDue(ctx context.Context, now time.Time) (time.Time, bool, error) {
	var oldest *time.Time

	err := s.pool.QueryRow(ctx, `
		SELECT min(next_attempt_at) FROM messages
		WHERE state IN ('pending', 'retry') AND next_attempt_at <= $1`, now).Scan(&oldest)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("find oldest due message: %w", translate(err))
	}

	if oldest == nil {
		return time.Time{}, false, nil
	}

	return *oldest, true, nil
}
