package tracing_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"go.opentelemetry.io/otel/trace"

	"github.com/chis-dev/chis/shared/config"
	"github.com/chis-dev/chis/shared/tracing"
)

// With no endpoint, tracing is off and wraps nothing: the handler is the one
// given and no gRPC option is added, so it costs nothing.
func TestOffWithoutEndpoint(t *testing.T) {
	t.Parallel()

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, cfg := range []config.Tracing{
		{},
		{Endpoint: "http://127.0.0.1:4318", Disabled: true},
	} {
		tr, err := tracing.Setup(context.Background(), cfg, "chis-test", "dev", log)
		if err != nil {
			t.Fatal(err)
		}

		h := &noop{}
		if tr.Enabled() || tr.Handler(h, "x") != h || tr.ServerOptions() != nil ||
			tr.DialOptions() != nil {
			t.Errorf("%+v: tracing is on or wraps something", cfg)
		}

		if err := tr.Shutdown(context.Background()); err != nil {
			t.Error(err)
		}
	}
}

type noop struct{}

func (*noop) ServeHTTP(http.ResponseWriter, *http.Request) {}

// A traceparent written from one context and read into another names the
// same trace and makes the first span the parent; a bad value is ignored.
func TestTraceparentRoundTrip(t *testing.T) {
	t.Parallel()

	if got := tracing.Traceparent(context.Background()); got != "" {
		t.Fatalf("traceparent without a span: %q, want empty", got)
	}

	const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

	ctx := tracing.WithTraceparent(context.Background(), tp)
	if got := tracing.Traceparent(ctx); got != tp {
		t.Fatalf("round trip: %q, want %q", got, tp)
	}

	if got := tracing.TraceID(ctx); got != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Fatalf("trace id %q", got)
	}

	if a := tracing.LogAttr(ctx); a.Key != "trace_id" {
		t.Fatalf("log attribute %v, want trace_id", a)
	}

	for _, bad := range []string{"", "00-zz-00f067aa0ba902b7-01", "garbage"} {
		ctx := tracing.WithTraceparent(context.Background(), bad)
		if trace.SpanContextFromContext(ctx).IsValid() || !tracing.LogAttr(ctx).Equal(slog.Attr{}) {
			t.Errorf("traceparent %q was taken as valid", bad)
		}
	}
}
