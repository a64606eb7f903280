package httpapi

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
)

// httpMetrics counts and times requests by route pattern (never the raw
// path, whose ids would make every request its own series).
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	log      *slog.Logger
}

func newHTTPMetrics(reg prometheus.Registerer, log *slog.Logger) *httpMetrics {
	m := &httpMetrics{
		log: log,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_ms",
			Help:    "Time to answer an HTTP request in milliseconds, by route pattern.",
			Buckets: []float64{1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000},
		}, []string{"route"}),
	}

	if reg != nil {
		reg.MustRegister(m.requests, m.duration)
	}

	return m
}

func (m *httpMetrics) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)

		next.ServeHTTP(ww, r)

		took := time.Since(start)
		route := "unmatched"
		if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
			route = rc.RoutePattern()
		}

		method := methodLabel(r.Method)
		m.requests.WithLabelValues(route, method, strconv.Itoa(ww.Status())).Inc()
		m.duration.WithLabelValues(route).Observe(float64(took.Microseconds()) / 1000)

		nameSpan(r.Context(), method, route)
		m.logRequest(r.Context(), method, route, ww.Status(), took)
	})
}

// methodLabel keeps the method label bounded: a client may send any token as
// a method, and each would otherwise become a series of its own.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return method
	}

	return "OTHER"
}
