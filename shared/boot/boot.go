// Package boot does what every Chis binary does at start: read its
// configuration, make its logger and metrics registry, and open PostgreSQL
// and Redis. Connections are lazy, so a binary starts before its stores and
// recovers from their outages without a restart.
package boot

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/chis-dev/chis/shared/config"
	"github.com/chis-dev/chis/shared/health"
	"github.com/chis-dev/chis/shared/queue"
	"github.com/chis-dev/chis/shared/storage"
	"github.com/chis-dev/chis/shared/telemetry"
	"github.com/chis-dev/chis/shared/tracing"
)

// Version is the release, set at build time with
// -ldflags "-X github.com/chis-dev/chis/shared/boot.Version=...".
var Version = "dev"

// UserAgent is what deliveries announce themselves as.
func UserAgent() string { return "Chis/" + Version }

// Fatal logs err and exits: for errors at start, before anything serves.
func Fatal(log *slog.Logger, msg string, err error) {
	log.Error(msg, telemetry.KeyError, err)
	os.Exit(1)
}

// Load reads cfg from the environment; on error it prints why and exits.
func Load(cfg any) {
	if err := config.Load(cfg, nil); err != nil {
		fmt.Fprintln(os.Stderr, "chis:", err)
		os.Exit(2)
	}
}

// Metrics returns a registry with Go runtime and process metrics, and the
// handler that serves it.
func Metrics() (*prometheus.Registry, http.Handler) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	return reg, promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})
}

// Stores opens PostgreSQL and Redis.
func Stores(ctx context.Context, pg config.Postgres,
	rd config.Redis) (*storage.Store, *queue.Queue, error) {
	store, err := storage.Open(ctx, pg.URL, pg.MaxConns)
	if err != nil {
		return nil, nil, err
	}

	q, err := queue.Connect(rd.URL, rd.Prefix)
	if err != nil {
		store.Close()
		return nil, nil, err
	}

	return store, q, nil
}

// StoreChecks are the readiness checks of a binary that uses both stores.
func StoreChecks(store *storage.Store, q *queue.Queue) []health.Check {
	return []health.Check{
		{Name: "postgres", Check: store.Ping},
		{Name: "redis", Check: q.Ping},
	}
}

// Tracing starts exporting the component's spans when cfg names an OTLP
// endpoint, and returns tracing that is off (and costs nothing) when it does
// not. On error it logs why and exits.
func Tracing(ctx context.Context, cfg config.Tracing, component string,
	log *slog.Logger) *tracing.Tracing {
	tr, err := tracing.Setup(ctx, cfg, "chis-"+component, Version, log)
	if err != nil {
		Fatal(log, "set up tracing", err)
	}

	if tr.Enabled() {
		log.Info("tracing on: spans go to the OTLP endpoint")
	}

	return tr
}

// FlushTraces exports the spans still buffered at exit, waiting at most 5 s:
// a collector that is down must not hold up a shutdown.
func FlushTraces(log *slog.Logger, tr *tracing.Tracing) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	if err := tr.Shutdown(ctx); err != nil {
		log.Warn("spans lost at exit", telemetry.KeyError, err)
	}
}

// Runtime is what every long-running component starts with: its logger,
// both stores and its metrics registry.
type Runtime struct {
	Log      *slog.Logger
	Store    *storage.Store
	Queue    *queue.Queue
	Registry *prometheus.Registry
	// Metrics serves Registry at /metrics.
	Metrics http.Handler
}

// Start makes the component's logger and opens its stores, or exits with
// the reason when a setting is unusable.
func Start(ctx context.Context, component string, logging config.Logging, pg config.Postgres,
	rd config.Redis) *Runtime {
	log := telemetry.NewLogger(os.Stderr, logging, component)

	store, q, err := Stores(ctx, pg, rd)
	if err != nil {
		Fatal(log, "open stores", err)
	}

	reg, metrics := Metrics()

	return &Runtime{Log: log, Store: store, Queue: q, Registry: reg, Metrics: metrics}
}

// Checks are the readiness checks of the runtime's stores.
func (rt *Runtime) Checks() []health.Check {
	return StoreChecks(rt.Store, rt.Queue)
}

// Close releases the stores.
func (rt *Runtime) Close() {
	rt.Store.Close()
	_ = rt.Queue.Close()
}

// AllowedTargets returns the operator's allow-list for delivery targets and
// says at start, loudly, when it lets private addresses through.
func AllowedTargets(log *slog.Logger, t config.Targets) []netip.Prefix {
	allowed, _ := t.Prefixes() // validated when the configuration was loaded
	if len(allowed) > 0 {
		log.Warn("private delivery targets allowed", "cidrs", t.AllowCIDRs)
	}

	return allowed
}
