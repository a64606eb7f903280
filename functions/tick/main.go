// Command tick is the sweep: a functions-framework CloudEvent function named
// Tick, which a Knative PingSource calls every 5 seconds. It is served at
// /Tick beside /health, /ready and /metrics (a CloudEvent function answers
// 400 to a GET, so liveness needs routes of its own). For that, it runs
// without FUNCTION_TARGET, which would send every path to one function.
package main

import (
	"context"
	"log/slog"
	"os"
	"sync"

	"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"
	"github.com/GoogleCloudPlatform/functions-framework-go/functions"
	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chis-dev/chis/shared/boot"
	"github.com/chis-dev/chis/shared/clock"
	"github.com/chis-dev/chis/shared/config"
	"github.com/chis-dev/chis/shared/health"
	"github.com/chis-dev/chis/shared/lifecycle"
	"github.com/chis-dev/chis/shared/sweep"
	"github.com/chis-dev/chis/shared/telemetry"
)

func main() {
	var cfg config.Tick
	boot.Load(&cfg)

	ctx, stop := lifecycle.SignalContext()
	defer stop()

	rt := boot.Start(ctx, "tick", cfg.Logging, cfg.Postgres, cfg.Redis)
	defer rt.Close()

	log, store, q := rt.Log, rt.Store, rt.Queue

	reg := rt.Registry
	// Queue and lag gauges are read here, at scrape time: Tick always runs
	// and holds both stores (sweep.Backlog says more).
	reg.MustRegister(sweep.NewBacklog(store, q, clock.System{}))
	s := &sweep.Sweeper{
		Store: store, Queue: q, Clock: clock.System{}, Log: log,
		Batch: cfg.Batch, Budget: cfg.Budget, RequeueAfter: cfg.RequeueAfter,
	}
	drainer := &lifecycle.Drainer{}

	_ = os.Unsetenv("FUNCTION_TARGET")
	functions.CloudEvent("Tick", tick(s, newSweepMetrics(reg), log))
	functions.HTTP("health", health.Live)
	functions.HTTP("ready", health.Ready(rt.Checks(), drainer.Draining))
	functions.HTTP("metrics", rt.Metrics.ServeHTTP)

	go func() {
		log.Info("tick listening", "host", cfg.Host, "port", cfg.Port)
		boot.Fatal(log, "serve", funcframework.StartHostPort(cfg.Host, cfg.Port))
	}()

	<-ctx.Done()

	// Sweeps are short and idempotent: a cut one is simply done again by the
	// next tick, so there is nothing to wait for beyond the current one.
	log.Info("tick stopped")
}

// tick runs one sweep per event. Ticks that overlap run one after the
// other in this process; across replicas SKIP LOCKED splits the work.
func tick(s *sweep.Sweeper, m *sweepMetrics, log *slog.Logger) func(context.Context,
	event.Event) error {
	var mu sync.Mutex

	return func(ctx context.Context, _ event.Event) error {
		mu.Lock()
		defer mu.Unlock()

		res, err := s.Run(ctx)
		m.observe(res, err)

		if err != nil {
			log.WarnContext(ctx, "sweep failed", "queued", res.Queued, telemetry.KeyError, err)
			return err
		}

		log.DebugContext(ctx, "sweep", "queued", res.Queued,
			telemetry.KeyDurationMs, res.Duration.Milliseconds())

		return nil
	}
}

type sweepMetrics struct {
	runs     *prometheus.CounterVec
	queued   prometheus.Counter
	duration prometheus.Histogram
}

func newSweepMetrics(reg prometheus.Registerer) *sweepMetrics {
	m := &sweepMetrics{
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sweep_runs_total", Help: "Sweeps run, by result (ok or error).",
		}, []string{"result"}),
		queued: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sweep_requeued_total", Help: "Message ids the sweep pushed to Redis.",
		}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "sweep_duration_ms", Help: "Duration of one sweep in milliseconds.",
			Buckets: []float64{1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000},
		}),
	}
	reg.MustRegister(m.runs, m.queued, m.duration)

	// Both results exist from the start: the stalled-sweep alert compares
	// the ok count over time and must see it before the first tick.
	m.runs.WithLabelValues("ok")
	m.runs.WithLabelValues("error")

	return m
}

func (m *sweepMetrics) observe(res sweep.Result, err error) {
	result := "ok"
	if err != nil {
		result = "error"
	}

	m.runs.WithLabelValues(result).Inc()
	m.queued.Add(float64(res.Queued))
	m.duration.Observe(float64(res.Duration.Microseconds()) / 1000)
}
