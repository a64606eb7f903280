package httpapi_test

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chis-dev/chis/shared/auth"
	"github.com/chis-dev/chis/shared/clock"
	"github.com/chis-dev/chis/shared/httpapi"
)

// syncBuffer is a log sink that handlers may write to concurrently.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()

	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()

	return b.buf.String()
}

// At debug, each request makes one line with its method, route pattern,
// status and duration, and nothing of its raw path, query or headers. A
// method outside the standard ones is counted as OTHER.
func TestRequestLogLineAndBoundedMethod(t *testing.T) {
	t.Parallel()

	var out syncBuffer
	log := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	reg := prometheus.NewRegistry()

	h := httpapi.New(httpapi.Deps{
		Tokens: auth.NewTokens(strings.Repeat("s", 32), time.Hour), Clock: clock.System{},
		Log: log, Registerer: reg,
	})

	id := uuid.NewString()
	req := httptest.NewRequest("GET", "/api/webhook-logs/"+id+"?search=QUERY_SECRET", nil)
	req.Header.Set("Authorization", "Bearer HEADER_SECRET")
	h.ServeHTTP(httptest.NewRecorder(), req)
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("BREW", "/health", nil))

	line := out.String()
	for _, want := range []string{"msg=request", "method=GET", "status_code=401",
		"duration_ms=", "route=/api/"} {
		if !strings.Contains(line, want) {
			t.Errorf("log %q lacks %s", line, want)
		}
	}

	for _, secret := range []string{id, "QUERY_SECRET", "HEADER_SECRET", "BREW"} {
		if strings.Contains(line, secret) {
			t.Errorf("log %q holds %s", line, secret)
		}
	}

	if !strings.Contains(line, "method=OTHER") {
		t.Errorf("log %q: the BREW request is not logged as OTHER", line)
	}

	if got := methodLabels(t, reg); got != "GET,OTHER" {
		t.Errorf("method labels %s, want GET,OTHER", got)
	}
}

func methodLabels(t *testing.T, reg *prometheus.Registry) string {
	t.Helper()

	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}

	var methods []string
	for _, f := range families {
		if f.GetName() != "http_requests_total" {
			continue
		}

		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "method" {
					methods = append(methods, l.GetValue())
				}
			}
		}
	}

	slices.Sort(methods)

	return strings.Join(methods, ",")
}

// Above debug, requests are not logged.
func TestRequestLogOffAboveDebug(t *testing.T) {
	t.Parallel()

	var out syncBuffer
	log := slog.New(slog.NewTextHandler(&out, nil))
	h := httpapi.New(httpapi.Deps{
		Tokens: auth.NewTokens(strings.Repeat("s", 32), time.Hour), Clock: clock.System{},
		Log: log,
	})

	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/health", nil))

	if out.String() != "" {
		t.Fatalf("logged %q at info", out.String())
	}
}
