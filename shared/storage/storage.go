// Package storage keeps Chis's source of truth in PostgreSQL: users,
// organisations, API keys, messages and their delivery attempts. It turns
// pgx and SQLSTATE errors into the domain errors below, so that callers never
// look at driver errors or error text.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/chis-dev/chis/migrations"
)

// Domain errors. Every error this package returns either wraps one of these
// or is unexpected (a bug, answered as 500 by the API).
var (
	// ErrNotFound means no row matched, or it belongs to another organisation.
	ErrNotFound = errors.New("not found")
	// ErrEmailTaken means a user with that e-mail (in any case) exists.
	ErrEmailTaken = errors.New("email already registered")
	// ErrIdempotencyConflict means the idempotency key was used before for a
	// different request.
	ErrIdempotencyConflict = errors.New("idempotency key reused with another request")
	// ErrUnknownOrg means a row names an organisation that does not exist
	// (or was deleted meanwhile).
	ErrUnknownOrg = errors.New("unknown organisation")
	// ErrInvalidText means text that PostgreSQL cannot store (a NUL byte, or
	// bytes invalid in its encoding); callers check their input first, so
	// this is the safety net.
	ErrInvalidText = errors.New("text cannot be stored")
	// ErrUnavailable means PostgreSQL could not be reached or refused work for
	// now; the caller may try again later.
	ErrUnavailable = errors.New("database unavailable")
)

// Store wraps a pgx pool. It is safe for concurrent use.
type Store struct {
	pool *pgxpool.Pool
}

// Open connects to PostgreSQL with at most maxConns connections. It does not
// wait for the server to answer: a server that is down shows up as
// ErrUnavailable on the first query, so a process can start before its
// database and recover after an outage without a restart.
func Open(ctx context.Context, url string, maxConns int32) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}

	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}

	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database pool: %w", err)
	}

	return &Store{pool: pool}, nil
}

// Close releases every connection.
func (s *Store) Close() {
	s.pool.Close()
}

// Ping checks that PostgreSQL answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("ping database: %w", translate(err))
	}

	return nil
}

// Migrate applies every pending migration from the embedded files. A
// PostgreSQL advisory lock makes concurrent callers wait for each other.
func Migrate(ctx context.Context, url string, log *slog.Logger) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("parse database url: %w", err)
	}

	db := stdlib.OpenDB(*cfg)
	defer func() { _ = db.Close() }()

	return migrate(ctx, db, log)
}

func migrate(ctx context.Context, db *sql.DB, log *slog.Logger) error {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}

	provider, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS,
		goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}

	results, err := provider.Up(ctx)
	if err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}

	for _, r := range results {
		log.InfoContext(ctx, "migration applied", "migration", r.Source.Path)
	}

	return nil
}

// translate maps driver errors onto the domain errors above. Constraint
// violations that callers must tell apart are matched by constraint name.
func translate(err error) error {
	if err == nil {
		return nil
	}

	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}

	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return translatePg(pgErr, err)
	}

	var netErr net.Error
	if errors.As(err, &netErr) || pgconn.SafeToRetry(err) || isConnectError(err) {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}

	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}

	return err
}

func translatePg(pgErr *pgconn.PgError, err error) error {
	switch {
	case pgErr.Code == "23505" && pgErr.ConstraintName == "users_email_lower_key":
		return ErrEmailTaken
	case pgErr.Code == "23503" && strings.HasSuffix(pgErr.ConstraintName, "_org_id_fkey"):
		return ErrUnknownOrg
	case pgErr.Code == "23503" && pgErr.ConstraintName == "delivery_attempts_message_id_fkey":
		// The message was deleted (with its organisation) meanwhile.
		return ErrNotFound
	case pgErr.Code == "22021" || pgErr.Code == "22P05":
		return fmt.Errorf("%w: %w", ErrInvalidText, err)
	case len(pgErr.Code) == 5 && (pgErr.Code[:2] == "08" || pgErr.Code[:2] == "53" ||
		pgErr.Code[:2] == "57"):
		// Connection exceptions, insufficient resources, operator intervention
		// (a shutdown in progress): the database is not available right now.
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}

	return err
}

func isConnectError(err error) bool {
	var ce *pgconn.ConnectError
	return errors.As(err, &ce)
}

// execOne runs a statement that must change exactly one row: none is
// ErrNotFound (the row does not exist, or belongs to another organisation).
func (s *Store) execOne(ctx context.Context, op, sql string, args ...any) error {
	tag, err := s.pool.Exec(ctx, sql, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", op, translate(err))
	}

	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%s: %w", op, ErrNotFound)
	}

	return nil
}

// queryAll runs a query and scans every row it returns with scan; op names
// the operation in errors.
func queryAll[T any](ctx context.Context, s *Store, op, sql string,
	scan pgx.RowToFunc[T], args ...any) ([]T, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, translate(err))
	}

	list, err := pgx.CollectRows(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, translate(err))
	}

	return list, nil
}
