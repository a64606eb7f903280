package chaos

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chis-dev/chis/local/stack"
	"github.com/chis-dev/chis/shared/storage"
)

// env is the system under test and what the suite needs to break it.
type env struct {
	pg       *postgres
	redis    *redisServer
	stack    *stack.Stack
	receiver *receiver
	load     *load
	dbURL    string
}

func setup(t *testing.T) *env {
	t.Helper()

	ctx := context.Background()

	// Not t.TempDir: its parent is private to root, and PostgreSQL runs as
	// the postgres user when the suite runs as root.
	dir, err := os.MkdirTemp("", "chis-chaos-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })

	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}

	pg, err := startPostgres(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.stop(context.Background()) })

	rd, err := startRedis(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rd.kill)

	e := &env{pg: pg, redis: rd, dbURL: pg.url("postgres"), receiver: newReceiver(0.1)}
	t.Cleanup(e.receiver.Close)

	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := storage.Migrate(ctx, e.dbURL, quiet); err != nil {
		t.Fatal(err)
	}

	e.stack = startStack(t, dir, e)
	e.load = newLoad(e.stack.URL("api"), apiKey(t, e.stack.URL("api")),
		e.receiver.URL+"/hook")

	return e
}

func startStack(t *testing.T, dir string, e *env) *stack.Stack {
	t.Helper()

	ctx := context.Background()
	root, _ := filepath.Abs("..")
	bin := filepath.Join(dir, "bin")

	if err := stack.Build(ctx, root, bin); err != nil {
		t.Fatal(err)
	}

	logFile, err := os.Create(filepath.Join(dir, "chis.log"))
	if err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	out := func(name string) io.Writer {
		return writerFunc(func(p []byte) (int, error) {
			mu.Lock()
			defer mu.Unlock()

			_, _ = logFile.WriteString("[" + name + "] ")
			return logFile.Write(p)
		})
	}

	s, err := stack.Start(ctx, stack.Options{
		BinDir: bin, DatabaseURL: e.dbURL, RedisURL: e.redis.url(), RedisPrefix: "chis",
		Output: out, TickEvery: time.Second,
		Env: map[string]string{
			"CHIS_TARGET_ALLOW_CIDRS":  "127.0.0.0/8",
			"CHIS_LOG_LEVEL":           "info",
			"CHIS_DELIVERY_TIMEOUT":    "2s",
			"CHIS_LEASE_MARGIN":        "2s",
			"CHIS_RETRY_SCHEDULE":      "200ms,400ms,800ms,1600ms",
			"CHIS_SWEEP_REQUEUE_AFTER": "3s",
			"CHIS_WORKER_CONCURRENCY":  "16",
			"CHIS_DB_MAX_CONNS":        "20",
			"CHIS_AUTH_RATE_LIMIT":     "0",
		},
	})
	if err != nil {
		t.Fatal(err)
	}

	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			t.Logf("component logs: %s", logFile.Name())
		}
	})

	return s
}

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// apiKey registers a tenant through the API and returns its key.
func apiKey(t *testing.T, api string) string {
	t.Helper()

	post := func(path, token, body string, out any) {
		req, _ := http.NewRequest(http.MethodPost, api+path, bytes.NewBufferString(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}

		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()

		if out != nil {
			_ = json.NewDecoder(resp.Body).Decode(out)
		}
	}

	creds := `{"email":"chaos@example.com","password":"secret123"}`
	post("/auth/register", "", `{"email":"chaos@example.com","password":"secret123",`+
		`"firstName":"Chaos"}`, nil)

	var login struct{ Token string }
	post("/auth/login", "", creds, &login)

	var key struct{ Key string }
	post("/api/api-key/create", login.Token, "", &key)

	if key.Key == "" {
		t.Fatal("could not create an API key")
	}

	return key.Key
}

// run holds the load for window while the scenario's fault runs, then waits
// until every accepted message is final and counts what happened.
func (e *env) run(t *testing.T, sc scenario, rate int, window time.Duration) figures {
	t.Helper()

	ctx := context.Background()
	f := figures{name: sc.name}

	var wg sync.WaitGroup
	wg.Go(func() { f.crashes = sc.fault(ctx, t, e, window) })
	e.load.run(ctx, rate, window)
	wg.Wait()

	ids, refused := e.load.take()
	f.accepted = len(ids)
	for _, n := range refused {
		f.refused += n
	}

	start := time.Now()
	e.waitQuiet(t, ids, 2*time.Minute)
	f.drain = time.Since(start)

	e.count(t, ids, &f)

	return f
}

// readiness returns a component's /ready status and the dependencies it
// names as failed; 0 when it does not answer.
func readiness(base string) (int, []string) {
	resp, err := http.Get(base + "/ready")
	if err != nil {
		return 0, nil
	}
	defer func() { _ = resp.Body.Close() }()

	var body struct {
		Failed []string `json:"failed"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)

	return resp.StatusCode, body.Failed
}
