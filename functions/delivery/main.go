// Command delivery is the Delivery service: a grpc-go server that stores
// accepted messages and queues them. It serves gRPC (h2c, as Knative's port
// named "h2c" expects) and plain HTTP /health, /ready and /metrics on the one
// port Knative gives it.
package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"google.golang.org/grpc"
	grpchealth "google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	deliveryv1 "github.com/chis-dev/chis/proto/chis/delivery/v1"
	"github.com/chis-dev/chis/shared/boot"
	"github.com/chis-dev/chis/shared/clock"
	"github.com/chis-dev/chis/shared/config"
	"github.com/chis-dev/chis/shared/deliveryrpc"
	"github.com/chis-dev/chis/shared/health"
	"github.com/chis-dev/chis/shared/lifecycle"
	"github.com/chis-dev/chis/shared/telemetry"
)

func main() {
	var cfg config.Delivery
	boot.Load(&cfg)

	ctx, stop := lifecycle.SignalContext()
	defer stop()

	rt := boot.Start(ctx, "delivery", cfg.Logging, cfg.Postgres, cfg.Redis)
	defer rt.Close()

	log, store, q := rt.Log, rt.Store, rt.Queue

	tr := boot.Tracing(ctx, cfg.Tracing, "delivery", log)
	defer boot.FlushTraces(log, tr)

	grpcMetrics := deliveryrpc.NewMetrics(rt.Registry)

	srv := grpc.NewServer(append(tr.ServerOptions(), grpc.ChainUnaryInterceptor(
		grpcMetrics.Interceptor(), deliveryrpc.TokenInterceptor(cfg.InternalToken)))...)
	svc := deliveryrpc.NewService(store, q, clock.System{}, log, cfg.MaxPayloadBytes)
	deliveryv1.RegisterDeliveryServiceServer(srv, svc)

	hs := grpchealth.NewServer()
	healthpb.RegisterHealthServer(srv, hs)

	checks := rt.Checks()
	go reportHealth(ctx, hs, checks)

	httpSrv := &http.Server{
		Addr:              net.JoinHostPort(cfg.Host, cfg.Port),
		Handler:           split(srv, health.Mux(checks, nil, rt.Metrics)),
		ReadHeaderTimeout: 10 * time.Second,
		Protocols:         h2c(),
	}

	go func() {
		log.Info("delivery listening", "addr", httpSrv.Addr)
		if err := httpSrv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
			boot.Fatal(log, "serve", err)
		}
	}()

	<-ctx.Done()
	shutdown(log, hs, httpSrv, cfg.ShutdownTimeout)
}

// split sends gRPC calls to the gRPC server and everything else to mux.
func split(g *grpc.Server, mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoMajor == 2 && strings.HasPrefix(r.Header.Get("Content-Type"),
			"application/grpc") {
			g.ServeHTTP(w, r)
			return
		}

		mux.ServeHTTP(w, r)
	})
}

func h2c() *http.Protocols {
	var p http.Protocols
	p.SetHTTP1(true)
	p.SetUnencryptedHTTP2(true)

	return &p
}

// reportHealth keeps the gRPC health service in step with the stores, so a
// gRPC probe sees what /ready sees.
func reportHealth(ctx context.Context, hs *grpchealth.Server, checks []health.Check) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()

	for {
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		st := healthpb.HealthCheckResponse_SERVING
		if len(health.Failed(cctx, checks)) > 0 {
			st = healthpb.HealthCheckResponse_NOT_SERVING
		}
		cancel()

		hs.SetServingStatus("", st)
		hs.SetServingStatus(deliveryv1.DeliveryService_ServiceDesc.ServiceName, st)

		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// shutdown reports NOT_SERVING, then lets calls in flight finish.
func shutdown(log *slog.Logger, hs *grpchealth.Server,
	srv *http.Server, timeout time.Duration) {
	hs.Shutdown()

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	if err := srv.Shutdown(ctx); err != nil {
		log.Info("shutdown cut short", telemetry.KeyError, err)
		return
	}

	log.Info("delivery stopped")
}
