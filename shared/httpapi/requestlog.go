package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/chis-dev/chis/shared/telemetry"
	"github.com/chis-dev/chis/shared/tracing"
)

type requestLogKey struct{}

// LogRequests makes the API write one debug line per request: method, route
// pattern, status and duration, never the raw path, query string or headers,
// which can carry ids, search terms and keys. The line is written by the
// metrics middleware, the one place that knows the route pattern; this
// wrapper only hands it the logger. Nothing is done when debug is off.
func LogRequests(log *slog.Logger, next http.Handler) http.Handler {
	if !log.Enabled(context.Background(), slog.LevelDebug) {
		return next
	}

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), requestLogKey{}, log)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// logRequest writes the request's line when LogRequests is in front.
func logRequest(ctx context.Context, method, route string, status int, took time.Duration) {
	log, ok := ctx.Value(requestLogKey{}).(*slog.Logger)
	if !ok {
		return
	}

	log.DebugContext(ctx, "request", "method", method, "route", route,
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
