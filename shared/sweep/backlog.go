package sweep

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/chis-dev/chis/shared/clock"
	"github.com/chis-dev/chis/shared/queue"
	"github.com/chis-dev/chis/shared/storage"
)

// backlogTimeout bounds the reads of one scrape: a store that hangs costs the
// scrape its gauges, never its answer.
const backlogTimeout = time.Second

// Backlog is a Prometheus collector that tells how much work waits and how
// late it is: the lengths of the Redis ready list and scheduled set, and the
// age of the oldest due message in PostgreSQL.
//
// It is read at scrape time, not at each sweep, so that the gauges stay true
// when the sweep itself stops, which is when the lag grows. Tick serves it:
// the component that always runs (pinged every 5 s, never scaled to zero) and
// holds both stores anyway. Every replica reports the same global values, so
// dashboards take max() across them. A read that fails or times out leaves
// its gauge out of that scrape and counts in webhook_backlog_read_errors_total.
type Backlog struct {
	store *storage.Store
	queue *queue.Queue
	clock clock.Clock

	ready     *prometheus.Desc
	scheduled *prometheus.Desc
	lag       *prometheus.Desc
	errors    *prometheus.CounterVec
}

// NewBacklog returns the collector; register it with a registry.
func NewBacklog(store *storage.Store, q *queue.Queue, clk clock.Clock) *Backlog {
	b := &Backlog{
		store: store, queue: q, clock: clk,
		ready: prometheus.NewDesc("webhook_queue_ready_messages",
			"Message ids in the Redis ready list, waiting for a worker.", nil, nil),
		scheduled: prometheus.NewDesc("webhook_queue_scheduled_messages",
			"Retries in the Redis scheduled set, waiting for their due time.", nil, nil),
		lag: prometheus.NewDesc("webhook_oldest_due_age_seconds",
			"Seconds since the oldest pending or retry message fell due: how far "+
				"delivery lags behind schedule; 0 when nothing is due.", nil, nil),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "webhook_backlog_read_errors_total",
			Help: "Scrape-time backlog reads that failed, by store (postgres or redis).",
		}, []string{"store"}),
	}

	// Both stores start at zero, so that increase() sees the first failure.
	b.errors.WithLabelValues("postgres")
	b.errors.WithLabelValues("redis")

	return b
}

// Describe sends the descriptions of every series.
func (b *Backlog) Describe(ch chan<- *prometheus.Desc) {
	ch <- b.ready
	ch <- b.scheduled
	ch <- b.lag
	b.errors.Describe(ch)
}

// Collect reads the three values at once, each bounded by backlogTimeout.
func (b *Backlog) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), backlogTimeout)
	defer cancel()

	var wg sync.WaitGroup
	wg.Go(func() { b.collectCount(ctx, ch, b.ready, b.queue.Len) })
	wg.Go(func() { b.collectCount(ctx, ch, b.scheduled, b.queue.ScheduledLen) })
	wg.Go(func() { b.collectLag(ctx, ch) })
	wg.Wait()

	// After the reads, so that this scrape's failures are in it.
	b.errors.Collect(ch)
}

func (b *Backlog) collectCount(ctx context.Context, ch chan<- prometheus.Metric,
	desc *prometheus.Desc, read func(context.Context) (int64, error)) {
	n, err := read(ctx)
	if err != nil {
		b.errors.WithLabelValues("redis").Inc()
		return
	}

	ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, float64(n))
}

func (b *Backlog) collectLag(ctx context.Context, ch chan<- prometheus.Metric) {
	now := b.clock.Now()

	oldest, ok, err := b.store.OldestDue(ctx, now)
	if err != nil {
		b.errors.WithLabelValues("postgres").Inc()
		return
	}

	age := 0.0
	if ok {
		age = now.Sub(oldest).Seconds()
	}

	ch <- prometheus.MustNewConstMetric(b.lag, prometheus.GaugeValue, age)
}
