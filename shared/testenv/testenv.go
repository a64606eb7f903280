// Package testenv gives tests their own real PostgreSQL database and Redis
// key space, so packages and tests run in parallel without seeing each
// other's rows or ids. It reads DATABASE_URL and REDIS_URL (the Makefile sets
// them) and falls back to the local servers on their standard ports.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/chis-dev/chis/shared/queue"
	"github.com/chis-dev/chis/shared/storage"
)

// DatabaseURL is the server tests create their databases on.
func DatabaseURL() string {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u
	}

	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// RedisURL is the Redis tests use.
func RedisURL() string {
	if u := os.Getenv("REDIS_URL"); u != "" {
		return u
	}

	return "redis://127.0.0.1:6379/0"
}

// templateLock serialises template set-up and cloning across test processes.
const templateLock = 727_001

// NewDatabase creates a fresh, migrated database for t, dropped when t ends,
// and returns its URL. It clones a template that is migrated once.
func NewDatabase(t testing.TB) string {
	t.Helper()

	url, drop, err := CreateDatabase(context.Background())
	if err != nil {
		t.Fatalf("create test database: %v", err)
	}

	t.Cleanup(drop)

	return url
}

// CreateDatabase is NewDatabase for callers without a testing.TB, such as
// TestMain: it returns the URL and a function that drops the database.
func CreateDatabase(ctx context.Context) (string, func(), error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()

	admin, err := pgx.Connect(ctx, DatabaseURL())
	if err != nil {
		return "", nil, fmt.Errorf("connect to postgres at %s (is it running? see README): %w",
			redact(DatabaseURL()), err)
	}
	defer func() { _ = admin.Close(ctx) }()

	name := "chis_test_" + RandomHex(6)
	if err := cloneTemplate(ctx, admin, name); err != nil {
		return "", nil, err
	}

	return withDatabase(DatabaseURL(), name), func() { dropDatabase(name) }, nil
}

func cloneTemplate(ctx context.Context, admin *pgx.Conn, name string) error {
	if _, err := admin.Exec(ctx, `SELECT pg_advisory_lock($1)`, templateLock); err != nil {
		return err
	}
	defer func() { _, _ = admin.Exec(ctx, `SELECT pg_advisory_unlock($1)`, templateLock) }()

	tmpl := "chis_template_" + migrationsVersion()

	var exists bool
	err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)`,
		tmpl).Scan(&exists)
	if err != nil {
		return err
	}

	if !exists {
		if err := makeTemplate(ctx, admin, tmpl); err != nil {
			return err
		}
	}

	_, err = admin.Exec(ctx, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`,
		pgx.Identifier{name}.Sanitize(), pgx.Identifier{tmpl}.Sanitize()))

	return err
}

func makeTemplate(ctx context.Context, admin *pgx.Conn, tmpl string) error {
	building := tmpl + "_building"
	_, _ = admin.Exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{building}.Sanitize())

	_, err := admin.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{building}.Sanitize())
	if err != nil {
		return err
	}

	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := storage.Migrate(ctx, withDatabase(DatabaseURL(), building), quiet); err != nil {
		return err
	}

	// Renamed only once complete, so a template that exists is whole.
	_, err = admin.Exec(ctx, fmt.Sprintf(`ALTER DATABASE %s RENAME TO %s`,
		pgx.Identifier{building}.Sanitize(), pgx.Identifier{tmpl}.Sanitize()))

	return err
}

func dropDatabase(name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	admin, err := pgx.Connect(ctx, DatabaseURL())
	if err != nil {
		return
	}
	defer func() { _ = admin.Close(ctx) }()

	_, _ = admin.Exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()+
		` WITH (FORCE)`)
}

// NewStore opens a Store on a fresh database.
func NewStore(t testing.TB) (*storage.Store, string) {
	t.Helper()

	dbURL := NewDatabase(t)

	s, err := storage.Open(context.Background(), dbURL, 20)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}

	t.Cleanup(s.Close)

	return s, dbURL
}

// NewPrefix returns a Redis key prefix of t's own, whose keys are deleted
// when t ends.
func NewPrefix(t testing.TB) string {
	t.Helper()

	prefix := "chis-test-" + RandomHex(6)

	t.Cleanup(func() {
		rdb := Redis(t)
		ctx := context.Background()
		keys, _ := rdb.Keys(ctx, prefix+":*").Result()
		if len(keys) > 0 {
			rdb.Del(ctx, keys...)
		}
	})

	return prefix
}

// NewQueue returns a Queue on a prefix of t's own.
func NewQueue(t testing.TB) (*queue.Queue, string) {
	t.Helper()

	prefix := NewPrefix(t)

	q, err := queue.Connect(RedisURL(), prefix)
	if err != nil {
		t.Fatalf("connect redis: %v", err)
	}

	t.Cleanup(func() { _ = q.Close() })

	return q, prefix
}

// Redis returns a plain client, closed when t ends.
func Redis(t testing.TB) *redis.Client {
	t.Helper()

	opts, err := redis.ParseURL(RedisURL())
	if err != nil {
		t.Fatalf("parse REDIS_URL: %v", err)
	}

	rdb := redis.NewClient(opts)
	t.Cleanup(func() { _ = rdb.Close() })

	return rdb
}

// RandomHex returns n random bytes as hex.
func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)

	return hex.EncodeToString(b)
}

func withDatabase(raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}

	u.Path = "/" + name

	return u.String()
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable)"
	}

	return u.Redacted()
}
