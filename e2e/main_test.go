// Package e2e runs Chis as real processes (Delivery, API, Worker, Tick)
// against the real PostgreSQL and Redis, and drives it through its public
// API with real HTTP receivers, as a tenant would.
package e2e

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chis-dev/chis/local/stack"
	"github.com/chis-dev/chis/shared/testenv"
)

// chis is the stack every test in this package talks to.
var chis *stack.Stack

// dbURL is the stack's database, for tests that check what was stored.
var dbURL string

// redisPrefix is the stack's Redis key prefix.
var redisPrefix string

// logs holds every line the components wrote.
var logs = &logBuffer{}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx := context.Background()

	tmp, err := os.MkdirTemp("", "chis-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer func() { _ = os.RemoveAll(tmp) }()

	root, _ := filepath.Abs("..")
	if err := stack.Build(ctx, root, filepath.Join(tmp, "bin")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}

	url, drop, err := testenv.CreateDatabase(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "create database:", err)
		return 1
	}
	defer drop()

	dbURL = url
	redisPrefix = "chis-e2e-" + testenv.RandomHex(6)

	// Tracing is on for the whole stack, exported to a receiver here.
	spans = newSpanSink()
	defer spans.Close()

	chis, err = stack.Start(ctx, stack.Options{
		BinDir: filepath.Join(tmp, "bin"), DatabaseURL: url, RedisURL: testenv.RedisURL(),
		RedisPrefix: redisPrefix, Output: logs.writer, TickEvery: 5 * time.Second,
		Env: map[string]string{
			"CHIS_TARGET_ALLOW_CIDRS": "127.0.0.0/8,::1/128",
			"CHIS_LOG_LEVEL":          "debug",
			"CHIS_DELIVERY_TIMEOUT":   "3s",
			// Every test signs up from 127.0.0.1; the limit has its own test.
			"CHIS_AUTH_RATE_LIMIT": "0",
			"CHIS_DASHBOARD_DIR":   filepath.Join(root, "dashboard", "dist"),
			// Spans leave within 100 ms rather than the default 5 s.
			"OTEL_EXPORTER_OTLP_ENDPOINT": spans.URL,
			"OTEL_BSP_SCHEDULE_DELAY":     "100",
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "start stack:", err)
		logs.dump()

		return 1
	}

	code := m.Run()
	chis.Stop()

	if code != 0 || os.Getenv("CHIS_E2E_LOGS") != "" {
		logs.dump()
	}

	return code
}

// logBuffer keeps the components' output, shown when a test fails.
type logBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (l *logBuffer) writer(component string) io.Writer {
	return writerFunc(func(p []byte) (int, error) {
		l.mu.Lock()
		defer l.mu.Unlock()

		l.buf = append(l.buf, "["+component+"] "...)
		l.buf = append(l.buf, p...)

		return len(p), nil
	})
}

// String returns everything written so far.
func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()

	return string(l.buf)
}

func (l *logBuffer) dump() {
	l.mu.Lock()
	defer l.mu.Unlock()

	_, _ = os.Stderr.Write(l.buf)
}

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
