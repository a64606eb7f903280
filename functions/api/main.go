// Command api is the public API: a functions-framework HTTP function named
// API, with a chi router inside that serves every path. It authenticates
// tenants and dashboard users, validates input and hands webhooks to the
// Delivery service over gRPC.
package main

import (
	"context"
	"errors"
	"log/slog"
	"os"

	"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"
	"github.com/GoogleCloudPlatform/functions-framework-go/functions"
	"google.golang.org/grpc/health/grpc_health_v1"

	"github.com/chis-dev/chis/shared/auth"
	"github.com/chis-dev/chis/shared/boot"
	"github.com/chis-dev/chis/shared/clock"
	"github.com/chis-dev/chis/shared/config"
	"github.com/chis-dev/chis/shared/deliveryrpc"
	"github.com/chis-dev/chis/shared/guard"
	"github.com/chis-dev/chis/shared/health"
	"github.com/chis-dev/chis/shared/httpapi"
	"github.com/chis-dev/chis/shared/lifecycle"
)

func main() {
	var cfg config.API
	boot.Load(&cfg)

	ctx, stop := lifecycle.SignalContext()
	defer stop()

	rt := boot.Start(ctx, "api", cfg.Logging, cfg.Postgres, cfg.Redis)
	defer rt.Close()

	log, store, q := rt.Log, rt.Store, rt.Queue

	tr := boot.Tracing(ctx, cfg.Tracing, "api", log)
	defer boot.FlushTraces(log, tr)

	delivery, err := deliveryrpc.Dial(cfg.DeliveryAddr, cfg.InternalToken, tr.DialOptions()...)
	if err != nil {
		boot.Fatal(log, "dial delivery", err)
	}
	defer func() { _ = delivery.Close() }()

	allowed := boot.AllowedTargets(log, cfg.Targets)
	drainer := &lifecycle.Drainer{}
	handler := httpapi.New(httpapi.Deps{
		Store: store, Queue: q, Delivery: delivery,
		PublicURL: cfg.PublicURL, DashboardDir: cfg.DashboardDir,
		AuthRateLimit: cfg.AuthRateLimit, TrustedProxies: cfg.TrustedProxies,
		Tokens:  auth.NewTokens(cfg.JWTSecret, cfg.JWTTTL),
		Targets: guard.New(allowed), Clock: clock.System{}, Log: log,
		MaxPayload: cfg.MaxPayloadBytes, Metrics: rt.Metrics, Draining: drainer.Draining,
		Ready: append(rt.Checks(), health.Check{
			Name: "delivery", Check: deliveryCheck(delivery),
		}),
		Registerer: rt.Registry,
	})

	// One function serves every path: functions-framework routes all paths
	// to FUNCTION_TARGET when it is set, and only /API when it is not.
	if os.Getenv("FUNCTION_TARGET") == "" {
		_ = os.Setenv("FUNCTION_TARGET", "API")
	}
	// Outside in: the drain sees every request, and the span covers the
	// rest, so the request's log line carries the span's trace id.
	handler = tr.Handler(handler, "api")
	functions.HTTP("API", drainer.Wrap(handler).ServeHTTP)

	go func() {
		log.Info("api listening", "host", cfg.Host, "port", cfg.Port)
		err := funcframework.StartHostPort(cfg.Host, cfg.Port)
		boot.Fatal(log, "serve", err)
	}()

	<-ctx.Done()
	drain(log, drainer, cfg)
}

// drain lets requests in flight finish; functions-framework has no
// shutdown of its own, so the process exits once they have.
func drain(log *slog.Logger, d *lifecycle.Drainer, cfg config.API) {
	ctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()

	log.Info("api draining", "finished", d.Drain(ctx))
}

func deliveryCheck(c *deliveryrpc.Client) func(context.Context) error {
	hc := grpc_health_v1.NewHealthClient(c.Conn())

	return func(ctx context.Context) error {
		resp, err := hc.Check(ctx, &grpc_health_v1.HealthCheckRequest{})
		if err != nil {
			return err
		}

		if resp.GetStatus() != grpc_health_v1.HealthCheckResponse_SERVING {
			return errNotServing
		}

		return nil
	}
}

var errNotServing = errors.New("delivery not serving")
