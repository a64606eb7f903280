// Package tracing sets up OpenTelemetry traces the same way in every binary.
// With an OTLP endpoint configured, spans go to it over OTLP/HTTP in batches;
// without one, nothing is set up at all: no provider, no wrapped handlers, no
// interceptors, so tracing that is off costs nothing.
//
// A trace crosses the Redis queue, where no header can travel, as the W3C
// traceparent string stored with the message (Traceparent and
// WithTraceparent).
package tracing

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc/filters"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"

	"github.com/chis-dev/chis/shared/config"
	"github.com/chis-dev/chis/shared/telemetry"
)

// propagator is the one wire format Chis reads and writes: W3C trace context.
var propagator = propagation.TraceContext{}

// Tracing is a binary's tracing set-up. The zero value is tracing off.
type Tracing struct {
	provider *sdktrace.TracerProvider
}

// Setup starts exporting spans of the named service when cfg enables
// tracing, and returns a Tracing that is off otherwise. It fails only when
// the exporter cannot be built from the OTEL_* variables; an unreachable
// collector is not an error here, its export failures are logged as warnings.
func Setup(ctx context.Context, cfg config.Tracing, service, version string,
	log *slog.Logger) (*Tracing, error) {
	if !cfg.Enabled() {
		return &Tracing{}, nil
	}

	exp, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("create trace exporter: %w", err)
	}

	// Chis's names come first so that OTEL_SERVICE_NAME and
	// OTEL_RESOURCE_ATTRIBUTES, read after them, can override them.
	res, err := resource.New(ctx,
		resource.WithAttributes(attribute.String("service.name", service),
			attribute.String("service.version", version)),
		resource.WithFromEnv(), resource.WithTelemetrySDK())
	if err != nil {
		return nil, fmt.Errorf("describe trace resource: %w", err)
	}

	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagator)
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		log.Warn("tracing failed", telemetry.KeyError, err)
	}))

	return &Tracing{provider: tp}, nil
}

// Enabled says whether spans are recorded and exported.
func (t *Tracing) Enabled() bool {
	return t.provider != nil
}

// Shutdown exports the spans still buffered, within ctx's deadline.
func (t *Tracing) Shutdown(ctx context.Context) error {
	if t.provider == nil {
		return nil
	}

	if err := t.provider.Shutdown(ctx); err != nil {
		return fmt.Errorf("shut down tracing: %w", err)
	}

	return nil
}

// Handler wraps h so that each request gets a server span, joined to the
// caller's trace when it sent a traceparent header. Probes and scrapes are
// left out: they would be most of the spans and tell nothing. With tracing
// off, h is returned as it is.
func (t *Tracing) Handler(h http.Handler, operation string) http.Handler {
	if t.provider == nil {
		return h
	}

	traced := otelhttp.NewHandler(h, operation,
		otelhttp.WithTracerProvider(t.provider), otelhttp.WithPropagators(propagator),
		otelhttp.WithFilter(func(r *http.Request) bool { return !isProbe(r.URL.Path) }))

	// An outer ServeMux (functions-framework's, which sends every path to
	// "/") leaves its pattern on the request, and otelhttp would name the
	// span after it at the end, over the route name the router set.
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(r.Context())
		r.Pattern = ""
		traced.ServeHTTP(w, r)
	})
}

func isProbe(path string) bool {
	return path == "/health" || path == "/ready" || path == "/metrics"
}

// ServerOptions are what a gRPC server needs to join its callers' traces;
// none with tracing off.
func (t *Tracing) ServerOptions() []grpc.ServerOption {
	if t.provider == nil {
		return nil
	}

	return []grpc.ServerOption{grpc.StatsHandler(otelgrpc.NewServerHandler(t.grpcOptions()...))}
}

// DialOptions are what a gRPC client needs to pass its trace on; none with
// tracing off.
func (t *Tracing) DialOptions() []grpc.DialOption {
	if t.provider == nil {
		return nil
	}

	return []grpc.DialOption{grpc.WithStatsHandler(otelgrpc.NewClientHandler(t.grpcOptions()...))}
}

// grpcOptions leave health checks out, for the same reason as probes.
func (t *Tracing) grpcOptions() []otelgrpc.Option {
	return []otelgrpc.Option{
		otelgrpc.WithTracerProvider(t.provider), otelgrpc.WithPropagators(propagator),
		otelgrpc.WithFilter(filters.Not(filters.HealthCheck())),
	}
}

// Traceparent returns the W3C traceparent of the span in ctx, or "" when
// ctx holds none (tracing off, or a caller that sent no trace).
func Traceparent(ctx context.Context) string {
	if !trace.SpanContextFromContext(ctx).IsValid() {
		return ""
	}

	carrier := propagation.MapCarrier{}
	propagator.Inject(ctx, carrier)

	return carrier.Get("traceparent")
}

// WithTraceparent returns ctx with the remote span that traceparent names as
// the parent of the spans started from it. An empty or malformed value
// leaves ctx as it is: a bad stored value costs the trace, never the
// delivery.
func WithTraceparent(ctx context.Context, traceparent string) context.Context {
	if traceparent == "" {
		return ctx
	}

	return propagator.Extract(ctx, propagation.MapCarrier{"traceparent": traceparent})
}

// TraceID returns the trace id of the span in ctx, for log lines, or "".
func TraceID(ctx context.Context) string {
	sc := trace.SpanContextFromContext(ctx)
	if !sc.HasTraceID() {
		return ""
	}

	return sc.TraceID().String()
}

// LogAttr is the trace_id attribute for a log line about the work in ctx;
// with no trace it is the empty attribute, which slog leaves out.
func LogAttr(ctx context.Context) slog.Attr {
	id := TraceID(ctx)
	if id == "" {
		return slog.Attr{}
	}

	return slog.String(telemetry.KeyTraceID, id)
}
