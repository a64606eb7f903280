package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// APIKey is a key as stored: only its SHA-256 hash, never the key itself.
type APIKey struct {
	ID         uuid.UUID
	OrgID      uuid.UUID
	Name       string
	Prefix     string
	Hash       []byte
	CreatedBy  uuid.UUID
	CreatedAt  time.Time
	ExpiresAt  *time.Time
	LastUsedAt *time.Time
}

// CreateAPIKey stores a new key.
func (s *Store) CreateAPIKey(ctx context.Context, k APIKey) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO api_keys (id, org_id, name, prefix, key_hash, created_by, created_at,
			expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		k.ID, k.OrgID, k.Name, k.Prefix, k.Hash, k.CreatedBy, k.CreatedAt, k.ExpiresAt)
	if err != nil {
		return fmt.Errorf("create api key: %w", translate(err))
	}

	return nil
}

// ListAPIKeys lists the organisation's keys that are not revoked, oldest first.
func (s *Store) ListAPIKeys(ctx context.Context, orgID uuid.UUID) ([]APIKey, error) {
	return queryAll(ctx, s, "list api keys", `
		SELECT id, org_id, name, prefix, created_at, expires_at, last_used_at
		FROM api_keys WHERE org_id = $1 AND revoked_at IS NULL
		ORDER BY created_at, id`,
		func(r pgx.CollectableRow) (APIKey, error) {
			var k APIKey
			err := r.Scan(&k.ID, &k.OrgID, &k.Name, &k.Prefix, &k.CreatedAt, &k.ExpiresAt,
				&k.LastUsedAt)

			return k, err
		}, orgID)
}

// RevokeAPIKey revokes one of the organisation's keys. A key of another
// organisation, or one already revoked, is ErrNotFound.
func (s *Store) RevokeAPIKey(ctx context.Context, orgID, id uuid.UUID, now time.Time) error {
	return s.execOne(ctx, "revoke api key", `
		UPDATE api_keys SET revoked_at = $3
		WHERE id = $1 AND org_id = $2 AND revoked_at IS NULL`, id, orgID, now)
}

// OrgForAPIKey returns the organisation that owns the live key with this hash
// and notes the use. Unknown, revoked and expired keys are ErrNotFound.
// Last use is written at most once a minute per key, so that sending does not
// cost a second write per webhook.
func (s *Store) OrgForAPIKey(ctx context.Context, hash []byte, now time.Time) (uuid.UUID, error) {
	var orgID, keyID uuid.UUID
	var lastUsed *time.Time

	err := s.pool.QueryRow(ctx, `
		SELECT org_id, id, last_used_at FROM api_keys
		WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`,
		hash, now).Scan(&orgID, &keyID, &lastUsed)
	if err != nil {
		return uuid.Nil, fmt.Errorf("find api key: %w", translate(err))
	}

	if lastUsed == nil || now.Sub(*lastUsed) > time.Minute {
		_, err = s.pool.Exec(ctx,
			`UPDATE api_keys SET last_used_at = $2 WHERE id = $1`, keyID, now)
		if err != nil {
			return uuid.Nil, fmt.Errorf("note api key use: %w", translate(err))
		}
	}

	return orgID, nil
}
