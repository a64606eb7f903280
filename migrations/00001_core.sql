-- +goose Up

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL,
    password_hash text NOT NULL,
    first_name    text NOT NULL,
    last_name     text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- E-mail addresses are unique whatever their case.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

CREATE TABLE organizations (
    id             uuid PRIMARY KEY,
    name           text NOT NULL,
    slug           text NOT NULL UNIQUE,
    signing_secret text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_id     uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('admin', 'member')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, org_id)
);

CREATE INDEX memberships_org_idx ON memberships (org_id);

CREATE TABLE api_keys (
    id           uuid PRIMARY KEY,
    org_id       uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name         text NOT NULL,
    prefix       text NOT NULL,
    key_hash     bytea NOT NULL UNIQUE,
    created_by   uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);

CREATE INDEX api_keys_org_idx ON api_keys (org_id, created_at);

CREATE TABLE messages (
    id               uuid PRIMARY KEY,
    org_id           uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    url              text NOT NULL,
    method           text NOT NULL,
    -- The payload's bytes exactly as the tenant sent them: never jsonb, which
    -- would reorder keys, drop duplicates and respell numbers.
    payload          bytea NOT NULL,
    event_type       text NOT NULL DEFAULT '',
    idempotency_key  text,
    -- SHA-256 of what the request asked for, to tell a replay from a reuse.
    request_hash     bytea,
    state            text NOT NULL
        CHECK (state IN ('pending', 'delivering', 'retry', 'success', 'failed')),
    attempt_count    integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    lease_until      timestamptz,
    last_queued_at   timestamptz,
    failure_reason   text NOT NULL DEFAULT '',
    -- The latest attempt, kept here so the log list needs no join.
    last_status_code integer,
    last_attempt_at  timestamptz,
    last_duration_ms integer,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

CREATE UNIQUE INDEX messages_idempotency_key
    ON messages (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- The sweep's two questions: what is due, and whose lease ran out.
CREATE INDEX messages_due_idx
    ON messages (next_attempt_at) WHERE state IN ('pending', 'retry');
CREATE INDEX messages_lease_idx
    ON messages (lease_until) WHERE state = 'delivering';

-- The per-organisation log list, newest first.
CREATE INDEX messages_org_created_idx ON messages (org_id, created_at DESC, id DESC);
CREATE INDEX messages_org_state_created_idx
    ON messages (org_id, state, created_at DESC, id DESC);

CREATE TABLE delivery_attempts (
    id                 uuid PRIMARY KEY,
    message_id         uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    -- The message's organisation, kept here for per-organisation time series.
    org_id             uuid NOT NULL,
    attempt_number     integer NOT NULL,
    -- What the attempt led to: success, retry or failed.
    outcome            text NOT NULL,
    status_code        integer,
    response_body      text NOT NULL DEFAULT '',
    response_truncated boolean NOT NULL DEFAULT false,
    error_class        text NOT NULL DEFAULT '',
    error_message      text NOT NULL DEFAULT '',
    duration_ms        integer NOT NULL,
    attempted_at       timestamptz NOT NULL,
    UNIQUE (message_id, attempt_number)
);

CREATE INDEX delivery_attempts_org_time_idx ON delivery_attempts (org_id, attempted_at);

CREATE TABLE invitations (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email       text NOT NULL,
    role        text NOT NULL CHECK (role IN ('admin', 'member')),
    -- SHA-256 of the token in the invitation link; the token itself is not kept.
    token_hash  bytea NOT NULL UNIQUE,
    invited_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    status      text NOT NULL
        CHECK (status IN ('pending', 'accepted', 'declined', 'cancelled')),
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE INDEX invitations_org_idx ON invitations (org_id, created_at);
CREATE INDEX invitations_email_idx ON invitations (lower(email)) WHERE status = 'pending';

-- +goose Down

DROP TABLE invitations;
DROP TABLE delivery_attempts;
DROP TABLE messages;
DROP TABLE api_keys;
DROP TABLE memberships;
DROP TABLE organizations;
DROP TABLE users;
