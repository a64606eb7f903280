package chaos

import (
	"context"
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/chis-dev/chis/local/stack"
)

// at waits until the given fraction of the window has passed.
func at(start time.Time, window time.Duration, fraction float64) {
	<-time.After(time.Until(start.Add(time.Duration(float64(window) * fraction))))
}

// killWorker SIGKILLs the worker three times at random moments, each time
// starting it again half a second later.
func killWorker(ctx context.Context, t *testing.T, e *env, window time.Duration) int {
	start := time.Now()

	for i := range 3 {
		at(start, window, (float64(i)+0.2+0.6*rand.Float64())/3)
		crash(ctx, t, e, "worker")
	}

	return 3
}

// killFrontends SIGKILLs Delivery, then the API, restarting each.
func killFrontends(ctx context.Context, t *testing.T, e *env, window time.Duration) int {
	start := time.Now()

	at(start, window, 0.25)
	crash(ctx, t, e, "delivery")

	at(start, window, 0.6)
	crash(ctx, t, e, "api")

	return 2
}

func crash(ctx context.Context, t *testing.T, e *env, component string) {
	if err := e.stack.Signal(component, syscall.SIGKILL); err != nil {
		t.Errorf("kill %s: %v", component, err)
		return
	}

	<-time.After(500 * time.Millisecond)

	if err := e.stack.StartComponent(ctx, component); err != nil {
		t.Errorf("restart %s: %v", component, err)
	}
}

// flushRedis starts a second sweeper (it stays for the later scenarios, as
// replicas would) and empties Redis in the middle of the load.
func flushRedis(ctx context.Context, t *testing.T, e *env, window time.Duration) int {
	if err := e.stack.StartInstance(ctx, "tick2", "tick"); err != nil {
		t.Errorf("start a second tick: %v", err)
	}

	at(time.Now(), window, 0.5)

	rdb := redis.NewClient(&redis.Options{Addr: e.redis.addr()})
	defer func() { _ = rdb.Close() }()

	if err := rdb.FlushAll(ctx).Err(); err != nil {
		t.Errorf("flushall: %v", err)
	}

	return 1
}

// restartRedis kills Redis and starts it again empty a second later.
func restartRedis(ctx context.Context, t *testing.T, e *env, window time.Duration) int {
	at(time.Now(), window, 0.4)
	e.redis.kill()
	<-time.After(time.Second)

	checkNotReady(t, e, "redis")

	if err := e.redis.start(ctx); err != nil {
		t.Errorf("restart redis: %v", err)
	}

	waitReady(t, e, "redis")

	return 1
}

// stopPostgres stops PostgreSQL for 5 s, checking that the API says it is
// not ready meanwhile and is ready again after.
func stopPostgres(ctx context.Context, t *testing.T, e *env, window time.Duration) int {
	at(time.Now(), window, 0.3)

	if err := e.pg.stop(ctx); err != nil {
		t.Errorf("stop postgres: %v", err)
		return 0
	}

	<-time.After(time.Second)
	checkNotReady(t, e, "postgres")

	// A send now must be refused quickly and plainly, never accepted.
	sent := time.Now()
	if code := e.load.once(ctx); code != 503 || time.Since(sent) > 5*time.Second {
		t.Errorf("send with postgres down: %d after %v, want 503 within 5 s", code,
			time.Since(sent))
	}

	<-time.After(3 * time.Second)

	if err := e.pg.start(ctx); err != nil {
		t.Errorf("start postgres: %v", err)
	}

	waitReady(t, e, "postgres")

	return 1
}

// checkNotReady checks that every component's /ready answers 503 and names
// dep among the dependencies that failed.
func checkNotReady(t *testing.T, e *env, dep string) {
	t.Helper()

	for _, c := range stack.Components {
		code, failed := readiness(e.stack.URL(c))
		if code != 503 || !slices.Contains(failed, dep) {
			t.Errorf("%s /ready with %s down: %d naming %v, want 503 naming %s", c, dep, code,
				failed, dep)
		}
	}
}

// readyWithin is how long a component may take to be ready again once a
// store is back: Delivery's gRPC health, which the API asks, is refreshed
// every 5 s.
const readyWithin = 20 * time.Second

// waitReady waits until every component's /ready answers 200 again.
func waitReady(t *testing.T, e *env, dep string) {
	t.Helper()

	deadline := time.Now().Add(readyWithin)
	for _, c := range stack.Components {
		for {
			code, failed := readiness(e.stack.URL(c))
			if code == 200 {
				break
			}

			if time.Now().After(deadline) {
				t.Errorf("%s /ready %v after %s came back: %d naming %v, want 200", c,
					readyWithin, dep, code, failed)

				break
			}

			<-time.After(200 * time.Millisecond)
		}
	}
}
