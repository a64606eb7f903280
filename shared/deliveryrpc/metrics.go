package deliveryrpc

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"

	deliveryv1 "github.com/chis-dev/chis/proto/chis/delivery/v1"
)

// Metrics counts and times gRPC calls by method and code, and counts the
// messages Delivery accepted.
type Metrics struct {
	calls    *prometheus.CounterVec
	duration *prometheus.HistogramVec
	accepted *prometheus.CounterVec
}

// NewMetrics registers the gRPC server series with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "grpc_server_handled_total",
			Help: "gRPC calls completed, by method and status code.",
		}, []string{"grpc_method", "grpc_code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "grpc_server_handling_duration_ms",
			Help:    "Time to handle a gRPC call in milliseconds.",
			Buckets: []float64{1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000},
		}, []string{"grpc_method"}),
		accepted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "webhooks_accepted_total",
			Help: "Messages Delivery accepted, by result: stored (new) or replayed " +
				"(an idempotent repeat of an earlier request, nothing new stored).",
		}, []string{"result"}),
	}

	// Both results start at zero, so that rate() sees the first one.
	m.accepted.WithLabelValues(resultStored)
	m.accepted.WithLabelValues(resultReplayed)

	reg.MustRegister(m.calls, m.duration, m.accepted)

	return m
}

// Interceptor records every unary call.
func (m *Metrics) Interceptor() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo,
		handler grpc.UnaryHandler) (any, error) {
		start := time.Now()
		resp, err := handler(ctx, req)

		m.calls.WithLabelValues(info.FullMethod, status.Code(err).String()).Inc()
		m.duration.WithLabelValues(info.FullMethod).
			Observe(float64(time.Since(start).Microseconds()) / 1000)
		m.countAccepted(resp)

		return resp, err
	}
}

const (
	resultStored   = "stored"
	resultReplayed = "replayed"
)

// countAccepted reads the outcome off the answer, the one place that knows
// whether a message was new, so the service itself needs no metrics.
func (m *Metrics) countAccepted(resp any) {
	r, ok := resp.(*deliveryv1.QueueMessageResponse)
	if !ok || r == nil {
		return
	}

	result := resultStored
	if r.GetReplayed() {
		result = resultReplayed
	}

	m.accepted.WithLabelValues(result).Inc()
}
