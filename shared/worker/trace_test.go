package worker_test

import (
	"context"
	"strings"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/chis-dev/chis/shared/storage"
)

// The attempt's span is a child of the span whose context was stored with
// the message, and names the target by its host alone.
func TestAttemptSpanContinuesTheStoredTrace(t *testing.T) {
	t.Parallel()

	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })

	r := newRigWith(t, rigOptions{concurrency: 2, timeout: 5 * time.Second,
		tracer: tp.Tracer("test")})
	srv, hits := recorder(t, func(int) int { return 200 })

	const (
		traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
		spanID  = "00f067aa0ba902b7"
	)

	acc, err := r.store.InsertMessage(context.Background(), storage.NewMessage{
		OrgID: r.orgID, URL: srv.URL + "/secret-path?token=secret-query", Method: "POST",
		Payload: []byte(`{}`), Now: r.clock.Now(),
		Traceparent: "00-" + traceID + "-" + spanID + "-01",
	})
	if err != nil {
		t.Fatal(err)
	}

	if err := r.queue.Push(context.Background(), acc.ID); err != nil {
		t.Fatal(err)
	}

	next(t, hits)
	s := endedSpan(t, spans)

	if s.SpanContext.TraceID().String() != traceID || s.Parent.SpanID().String() != spanID {
		t.Fatalf("span in trace %s under %s, want trace %s under %s",
			s.SpanContext.TraceID(), s.Parent.SpanID(), traceID, spanID)
	}

	attrs := map[string]string{}
	for _, kv := range s.Attributes {
		attrs[string(kv.Key)] = kv.Value.String()
	}

	if attrs["chis.message_id"] != acc.ID.String() || attrs["chis.outcome"] != "success" ||
		attrs["server.address"] != "127.0.0.1" {
		t.Errorf("attributes %v, want the message id, outcome success and the host", attrs)
	}

	for k, v := range attrs {
		if strings.Contains(v, "secret") {
			t.Errorf("attribute %s=%q holds the target's path or query", k, v)
		}
	}
}

// endedSpan waits for the one span the worker ends after recording.
func endedSpan(t *testing.T, spans *tracetest.InMemoryExporter) tracetest.SpanStub {
	t.Helper()

	deadline := time.Now().Add(5 * time.Second)
	for len(spans.GetSpans()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no attempt span within 5 s")
		}

		<-time.After(20 * time.Millisecond)
	}

	got := spans.GetSpans()
	if len(got) != 1 || got[0].Name != "webhook attempt" {
		t.Fatalf("spans %v, want one webhook attempt", got)
	}

	return got[0]
}
