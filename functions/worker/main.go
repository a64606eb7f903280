// Command worker is a long-running delivery process (a Kubernetes
// Deployment scaled by KEDA on the ready-list length). It serves /health,
// /ready and /metrics on PORT. On SIGTERM it stops popping, lets in-flight
// deliveries finish (each within the attempt timeout) and exits.
package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/chis-dev/chis/shared/boot"
	"github.com/chis-dev/chis/shared/clock"
	"github.com/chis-dev/chis/shared/config"
	"github.com/chis-dev/chis/shared/guard"
	"github.com/chis-dev/chis/shared/health"
	"github.com/chis-dev/chis/shared/lifecycle"
	"github.com/chis-dev/chis/shared/outbound"
	"github.com/chis-dev/chis/shared/retry"
	"github.com/chis-dev/chis/shared/telemetry"
	"github.com/chis-dev/chis/shared/worker"
)

func main() {
	var cfg config.Worker
	boot.Load(&cfg)

	ctx, stop := lifecycle.SignalContext()
	defer stop()

	rt := boot.Start(ctx, "worker", cfg.Logging, cfg.Postgres, cfg.Redis)
	defer rt.Close()

	log, store, q := rt.Log, rt.Store, rt.Queue

	// Before the worker: its attempt spans come from the provider set here.
	tr := boot.Tracing(ctx, cfg.Tracing, "worker", log)
	defer boot.FlushTraces(log, tr)

	allowed := boot.AllowedTargets(log, cfg.Targets)

	client := outbound.New(outbound.Options{
		Timeout: cfg.Timeout, MaxResponseBytes: cfg.MaxResponseBytes,
		UserAgent: boot.UserAgent(), Guard: guard.New(allowed),
	})
	defer client.CloseIdleConnections()

	w := worker.New(worker.Deps{
		Store: store, Queue: q, Sender: client, Clock: clock.System{}, Log: log,
		Concurrency: cfg.Concurrency, Lease: cfg.Lease(), Metrics: worker.NewMetrics(rt.Registry),
		PerHost: cfg.PerHost, HostBusyDelay: cfg.HostBusyDelay,
		Policy: retry.Policy{
			MaxAttempts: cfg.MaxAttempts, Schedule: cfg.Schedule, Jitter: cfg.Jitter,
			RetryAfterMax: cfg.RetryAfterMax,
		},
	})

	var stopping atomic.Bool
	srv := &http.Server{
		Addr:              net.JoinHostPort(cfg.Host, cfg.Port),
		Handler:           health.Mux(rt.Checks(), stopping.Load, rt.Metrics),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go serve(log, srv)

	log.Info("worker started", "concurrency", cfg.Concurrency, "lease", cfg.Lease().String())
	w.Run(ctx)
	stopping.Store(true)
	log.Info("worker stopped")

	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
}

func serve(log *slog.Logger, srv *http.Server) {
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Error("serve health", telemetry.KeyError, err)
	}
}
