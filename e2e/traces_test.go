package e2e

import (
	"compress/gzip"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	"google.golang.org/protobuf/proto"
)

// spans receives what the components export: the stack runs with its OTLP
// endpoint pointed here (see run in main_test.go).
var spans *spanSink

// span is one exported span, reduced to what the tests look at.
type span struct {
	service string
	name    string
	traceID string
	spanID  string
	parent  string
	attrs   map[string]string
}

// spanSink is a tiny OTLP/HTTP trace receiver on loopback: it decodes each
// export request and keeps the spans.
type spanSink struct {
	*httptest.Server

	mu  sync.Mutex
	got []span
}

func newSpanSink() *spanSink {
	s := &spanSink{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))

	return s
}

func (s *spanSink) serve(w http.ResponseWriter, r *http.Request) {
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body = zr
	}

	b, err := io.ReadAll(body)
	req := &collectortrace.ExportTraceServiceRequest{}
	if err == nil {
		err = proto.Unmarshal(b, req)
	}

	if r.URL.Path != "/v1/traces" || err != nil {
		http.Error(w, "not an OTLP trace export", http.StatusBadRequest)
		return
	}

	s.keep(req)

	out, _ := proto.Marshal(&collectortrace.ExportTraceServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(out)
}

func (s *spanSink) keep(req *collectortrace.ExportTraceServiceRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()

	for _, rs := range req.GetResourceSpans() {
		service := attrMap(rs.GetResource().GetAttributes())["service.name"]

		for _, ss := range rs.GetScopeSpans() {
			for _, sp := range ss.GetSpans() {
				s.got = append(s.got, span{
					service: service, name: sp.GetName(),
					traceID: hex.EncodeToString(sp.GetTraceId()),
					spanID:  hex.EncodeToString(sp.GetSpanId()),
					parent:  hex.EncodeToString(sp.GetParentSpanId()),
					attrs:   attrMap(sp.GetAttributes()),
				})
			}
		}
	}
}

func attrMap(kvs []*commonpb.KeyValue) map[string]string {
	out := map[string]string{}
	for _, kv := range kvs {
		switch v := kv.GetValue().GetValue().(type) {
		case *commonpb.AnyValue_StringValue:
			out[kv.GetKey()] = v.StringValue
		case *commonpb.AnyValue_IntValue:
			out[kv.GetKey()] = strconv.FormatInt(v.IntValue, 10)
		default:
			out[kv.GetKey()] = kv.GetValue().String()
		}
	}

	return out
}

// all returns every span received so far.
func (s *spanSink) all() []span {
	s.mu.Lock()
	defer s.mu.Unlock()

	return append([]span(nil), s.got...)
}

// One trace runs from the tenant's request to the worker's attempt: the API's
// server span, its gRPC call, Delivery's server span, and the attempt, which
// crossed Redis as the traceparent stored with the message. No span carries
// the target URL's path or query.
func TestTraceFollowsMessageFromAPIToAttempt(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))
	id := tn.send(t, rcv.URL+"/hook/TRACE_PATH_SECRET?token=TRACE_QUERY_SECRET", `{"n":1}`)

	if d := tn.waitFinal(t, id, 20*time.Second); d.Status != "success" {
		t.Fatalf("status %s, want success", d.Status)
	}

	var attempt span
	eventually(t, 10*time.Second, func() bool {
		attempt = findSpan(spans.all(), func(s span) bool {
			return s.service == "chis-worker" && s.attrs["chis.message_id"] == id
		})

		return attempt.spanID != ""
	})

	trace := inTrace(spans.all(), attempt.traceID)
	delivery := byID(trace, attempt.parent)
	if delivery.service != "chis-delivery" ||
		delivery.name != "chis.delivery.v1.DeliveryService/QueueMessage" {
		t.Fatalf("the attempt's parent is %q of %q, want Delivery's QueueMessage span",
			delivery.name, delivery.service)
	}

	checkAPISide(t, trace, delivery)
	checkNoTargetSecrets(t, trace)

	if !strings.Contains(logs.String(), "trace_id="+attempt.traceID) {
		t.Error("no log line carries the trace id")
	}
}

// checkAPISide follows Delivery's span up to the API's server span.
func checkAPISide(t *testing.T, trace []span, delivery span) {
	t.Helper()

	call := byID(trace, delivery.parent)
	if call.service != "chis-api" {
		t.Fatalf("Delivery's span has parent %q of %q, want the API's gRPC call",
			call.name, call.service)
	}

	server := byID(trace, call.parent)
	if server.service != "chis-api" || server.name != "POST /webhook/send" ||
		server.attrs["http.route"] != "/webhook/send" {
		t.Fatalf("the gRPC call's parent is %q of %q, want the API's POST /webhook/send",
			server.name, server.service)
	}
}

func checkNoTargetSecrets(t *testing.T, trace []span) {
	t.Helper()

	for _, s := range trace {
		for k, v := range s.attrs {
			if strings.Contains(v, "TRACE_PATH_SECRET") || strings.Contains(v, "TRACE_QUERY_SECRET") {
				t.Errorf("span %q attribute %s holds the target's path or query", s.name, k)
			}
		}
	}
}

func findSpan(all []span, match func(span) bool) span {
	for _, s := range all {
		if match(s) {
			return s
		}
	}

	return span{}
}

func inTrace(all []span, traceID string) []span {
	var out []span
	for _, s := range all {
		if s.traceID == traceID {
			out = append(out, s)
		}
	}

	return out
}

func byID(all []span, id string) span {
	return findSpan(all, func(s span) bool { return s.spanID == id })
}
