package worker

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/chis-dev/chis/shared/outbound"
	"github.com/chis-dev/chis/shared/retry"
	"github.com/chis-dev/chis/shared/storage"
	"github.com/chis-dev/chis/shared/telemetry"
	"github.com/chis-dev/chis/shared/tracing"
)

// tracerName names the instrumentation that makes the attempt spans.
const tracerName = "github.com/chis-dev/chis/shared/worker"

// startAttempt starts the span of one attempt as a child of the request
// that accepted the message, whose context was stored with it. With tracing
// off the span is a no-op. The target URL stays out of the span: only its
// host, as in the logs, since path and query may hold the tenant's secrets.
func (w *Worker) startAttempt(ctx context.Context,
	c storage.Claimed) (context.Context, trace.Span) {
	ctx = tracing.WithTraceparent(ctx, c.Traceparent)

	return w.Tracer.Start(ctx, "webhook attempt",
		trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithAttributes(
			attribute.String("chis."+telemetry.KeyMessageID, c.ID.String()),
			attribute.String("chis."+telemetry.KeyOrgID, c.OrgID.String()),
			attribute.Int("chis."+telemetry.KeyAttempt, c.Attempt),
			attribute.String("server.address", telemetry.EndpointHost(c.URL)),
			attribute.String("http.request.method", c.Method)))
}

// traceOutcome notes on the attempt's span what the attempt led to.
func traceOutcome(ctx context.Context, res outbound.Result, d retry.Decision) {
	span := trace.SpanFromContext(ctx)
	span.SetAttributes(attribute.String("chis.outcome", d.Verdict),
		attribute.String("chis.error_class", res.ErrorClass))

	if res.StatusCode != 0 {
		span.SetAttributes(attribute.Int("http.response.status_code", res.StatusCode))
	}

	if d.Verdict != retry.Success {
		span.SetStatus(codes.Error, res.ErrorClass)
	}
}

// traceHandedBack notes that the message went back without an attempt used.
func traceHandedBack(ctx context.Context, why string) {
	trace.SpanFromContext(ctx).SetAttributes(attribute.String("chis.outcome", why))
}
