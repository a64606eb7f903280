// Command local runs Chis on one machine, as `make dev` does: it applies the
// migrations, builds the four components, starts them with their output
// prefixed by name, stands in for the PingSource, and runs a small receiver
// that prints what it gets. Ctrl-C stops everything.
//
// PostgreSQL and Redis come from DATABASE_URL and REDIS_URL, which the
// Makefile sets (see local/services.sh).
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chis-dev/chis/local/stack"
	"github.com/chis-dev/chis/shared/lifecycle"
	"github.com/chis-dev/chis/shared/storage"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "chis dev:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, stop := lifecycle.SignalContext()
	defer stop()

	dbURL, redisURL := os.Getenv("DATABASE_URL"), os.Getenv("REDIS_URL")
	if dbURL == "" || redisURL == "" {
		return errors.New("DATABASE_URL and REDIS_URL must be set; run `make dev`")
	}

	log := slog.New(slog.NewTextHandler(prefixed("migrate"), nil))
	if err := storage.Migrate(ctx, dbURL, log); err != nil {
		return err
	}

	bin, _ := filepath.Abs(".dev/bin")
	fmt.Println("building the components (a minute the first time)…")
	if err := stack.Build(ctx, ".", bin); err != nil {
		return err
	}

	receiverAddr := envOr("CHIS_DEV_RECEIVER_ADDR", "localhost:9000")
	if err := startReceiver(receiverAddr); err != nil {
		return err
	}

	s, err := stack.Start(ctx, stack.Options{
		BinDir: bin, DatabaseURL: dbURL, RedisURL: redisURL, RedisPrefix: "chis",
		Ports:  map[string]int{"api": 8080, "delivery": 50051, "worker": 8083, "tick": 8084},
		Env:    devEnv(),
		Output: prefixed,
	})
	if err != nil {
		return err
	}

	banner(receiverAddr)
	<-ctx.Done()
	fmt.Println("\nstopping…")
	s.Stop()

	return nil
}

// devEnv allows loopback targets, which production refuses, so that the
// local receiver can be reached; it is said at start so nobody is surprised.
func devEnv() map[string]string {
	env := map[string]string{
		"CHIS_TARGET_ALLOW_CIDRS": "127.0.0.0/8,::1/128",
		"CHIS_LOG_LEVEL":          envOr("CHIS_LOG_LEVEL", "info"),
	}

	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "CHIS_") {
			env[k] = v
		}
	}

	return env
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}

	return def
}

func banner(receiverAddr string) {
	fmt.Printf(`
Chis is running (loopback targets are ALLOWED: local development only).

  API        http://localhost:8080      (dashboard API and /webhook/send)
  Delivery   127.0.0.1:50051            (gRPC)
  Worker     http://127.0.0.1:8083/metrics
  Tick       http://127.0.0.1:8084/Tick (pinged every 5 s)
  Receiver   http://%[1]s/hook    (prints what it gets, below)

Quick start, in another terminal:

  curl -X POST http://localhost:8080/auth/register -H "Content-Type: application/json" \
    -d '{"email":"test@example.com","password":"secret123","firstName":"Test","lastName":"User"}'
  TOKEN=$(curl -s -X POST http://localhost:8080/auth/login \
    -H "Content-Type: application/json" \
    -d '{"email":"test@example.com","password":"secret123"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
  KEY=$(curl -s -X POST http://localhost:8080/api/api-key/create \
    -H "Authorization: Bearer $TOKEN" | sed 's/.*"key":"\([^"]*\)".*/\1/')
  curl -X POST http://localhost:8080/webhook/send -H "X-API-Key: $KEY" \
    -H "Content-Type: application/json" \
    -d '{"url":"http://%[1]s/hook","payload":{"event":"test","data":{"id":123}}}'

Ctrl-C stops everything.

`, receiverAddr)
}

// startReceiver serves a receiver that prints every delivery it gets.
func startReceiver(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("start receiver: %w", err)
	}

	out := prefixed("receiver")
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			printDelivery(out, r, body)
			w.WriteHeader(http.StatusOK)
		})}

	go func() { _ = srv.Serve(l) }()

	return nil
}

func printDelivery(out io.Writer, r *http.Request, body []byte) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", r.Method, r.URL.Path)

	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		if strings.HasPrefix(k, "X-Webhook") || k == "User-Agent" || k == "Content-Type" {
			keys = append(keys, k)
		}
	}

	sort.Strings(keys)

	for _, k := range keys {
		fmt.Fprintf(&b, "  %s: %s\n", k, r.Header.Get(k))
	}

	fmt.Fprintf(&b, "  body: %s\n", body)
	_, _ = io.WriteString(out, b.String())
}

var outMu sync.Mutex

// prefixed returns a writer that prints each line as "[name] line".
func prefixed(name string) io.Writer {
	r, w := io.Pipe()

	go func() {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), 1<<20)

		for sc.Scan() {
			outMu.Lock()
			fmt.Printf("%-9s %s\n", "["+name+"]", sc.Text())
			outMu.Unlock()
		}
	}()

	return w
}
