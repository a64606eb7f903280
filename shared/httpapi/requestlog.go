package httpapi

import (
	"context"
	"log/slog"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/chis-dev/chis/shared/telemetry"
	"github.com/chis-dev/chis/shared/tracing"
)

// logRequest writes one debug line per request: method, route pattern,
// status and duration, never the raw path, query string or headers, which can
// carry ids, search terms and keys. It is written here, in the metrics
// middleware, the one place that knows the route pattern.
func (m *httpMetrics) logRequest(ctx context.Context, method, route string, status int,
	took time.Duration) {
	if m.log == nil || !m.log.Enabled(ctx, slog.LevelDebug) {
		return
	}

	m.log.DebugContext(ctx, "request", "method", method, "route", route,
		telemetry.KeyStatusCode, status, telemetry.KeyDurationMs, took.Milliseconds(),
		tracing.LogAttr(ctx))
}

// nameSpan gives the request's span, when tracing is on, the route pattern
// as its name: the raw path would make every message its own operation.
func nameSpan(ctx context.Context, method, route string) {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}

	span.SetName(method + " " + route)
	span.SetAttributes(attribute.String("http.route", route))
}
