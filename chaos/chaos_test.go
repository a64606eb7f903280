package chaos

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// workerConcurrency is the worker's slots; a crash can cut at most that
// many deliveries between the receiver's answer and the record.
const workerConcurrency = 16

func TestChaos(t *testing.T) {
	seconds := envInt("CHIS_CHAOS_SECONDS", 4)
	rate := envInt("CHIS_CHAOS_RATE", 60)

	e := setup(t)
	var rows []figures

	for _, sc := range scenarios() {
		f := e.run(t, sc, rate, time.Duration(seconds)*time.Second)
		rows = append(rows, f)
		t.Log(f.String())
	}

	report := table(rows)
	fmt.Println(report)

	if path := os.Getenv("CHIS_CHAOS_REPORT"); path != "" {
		_ = os.WriteFile(path, []byte(report), 0o644)
	}

	for _, f := range rows {
		f.check(t)
	}
}

// scenario is one kind of trouble, caused while the load runs. It returns
// how many crashes or outages it caused.
type scenario struct {
	name  string
	fault func(ctx context.Context, t *testing.T, e *env, window time.Duration) int
}

func scenarios() []scenario {
	return []scenario{
		{"baseline (10% of attempts fail)", func(context.Context, *testing.T, *env,
			time.Duration) int {
			return 0
		}},
		{"worker SIGKILL x3", killWorker},
		{"delivery and api SIGKILL", killFrontends},
		{"two sweepers + redis FLUSHALL", flushRedis},
		{"redis crash, empty restart", restartRedis},
		{"postgres down 5 s", stopPostgres},
	}
}

// figures are what one scenario left behind.
type figures struct {
	name       string
	accepted   int
	refused    int
	crashes    int
	lost       int // accepted, but no row in PostgreSQL
	stuck      int // not success or failed once the system was quiet
	overlap    int // messages with two attempts in flight at once
	duplicates int // extra 2xx deliveries of one message
	mismatched int // attempt rows that match no request the receiver saw
	drain      time.Duration
}

func (f figures) String() string {
	return fmt.Sprintf("%-32s %8d %7d %7d %4d %5d %7d %10d %10d %6.1fs", f.name, f.accepted,
		f.refused, f.crashes, f.lost, f.stuck, f.overlap, f.duplicates, f.mismatched,
		f.drain.Seconds())
}

func table(rows []figures) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-32s %8s %7s %7s %4s %5s %7s %10s %10s %7s\n", "scenario", "accepted",
		"refused", "crashes", "lost", "stuck", "overlap", "duplicates", "mismatched", "drain")

	for _, f := range rows {
		b.WriteString(f.String() + "\n")
	}

	return b.String()
}

func (f figures) check(t *testing.T) {
	t.Helper()

	if f.accepted == 0 {
		t.Errorf("%s: no webhook was accepted; the scenario tested nothing", f.name)
	}

	if f.lost != 0 || f.stuck != 0 || f.overlap != 0 || f.mismatched != 0 {
		t.Errorf("%s: lost %d, stuck %d, overlap %d, mismatched %d; want all 0", f.name,
			f.lost, f.stuck, f.overlap, f.mismatched)
	}

	// At-least-once: duplicates come only from crashes, each cutting at most
	// the deliveries then in flight.
	if f.duplicates > f.crashes*workerConcurrency {
		t.Errorf("%s: %d duplicates after %d crashes", f.name, f.duplicates, f.crashes)
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}

	return def
}
