package worker

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chis-dev/chis/shared/outbound"
	"github.com/chis-dev/chis/shared/retry"
)

// Metrics are the worker's Prometheus series. Labels are bounded: outcome
// and error class only, never a URL, an organisation or a key.
type Metrics struct {
	delivered *prometheus.CounterVec
	attempts  *prometheus.CounterVec
	duration  prometheus.Histogram
	deferred  prometheus.Counter
	retries   prometheus.Counter
}

// NewMetrics registers the worker's series with reg; a nil reg keeps them
// unregistered (tests).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		delivered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "webhooks_delivered_total",
			Help: "Messages that reached a final state, by outcome (success or failed).",
		}, []string{"outcome"}),
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "webhook_attempts_total",
			Help: "Delivery attempts by outcome (success, retry, failed) and error class.",
		}, []string{"outcome", "error_class"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "webhook_delivery_duration_ms",
			Help:    "Duration of one delivery attempt in milliseconds, body read included.",
			Buckets: []float64{5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 15000},
		}),
		deferred: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "webhook_deferred_total",
			Help: "Messages put off without an attempt because their host had every slot taken.",
		}),
		retries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "webhook_retries_scheduled_total",
			Help: "Failed attempts after which another attempt was scheduled.",
		}),
	}

	// Both final outcomes start at zero, so that a failure ratio has a
	// denominator (and rate() a first point) before the first failure.
	m.delivered.WithLabelValues(retry.Success)
	m.delivered.WithLabelValues(retry.Failed)

	if reg != nil {
		reg.MustRegister(m.delivered, m.attempts, m.duration, m.deferred, m.retries)
	}

	return m
}

func (m *Metrics) observe(verdict string, res outbound.Result) {
	m.attempts.WithLabelValues(verdict, res.ErrorClass).Inc()
	m.duration.Observe(float64(res.Duration.Milliseconds()))

	if verdict == retry.Retry {
		m.retries.Inc()
		return
	}

	m.delivered.WithLabelValues(verdict).Inc()
}
