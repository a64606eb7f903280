package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/redis/go-redis/v9"

	"github.com/chis-dev/chis/monitoring"
	"github.com/chis-dev/chis/shared/testenv"
)

// components are the stack's four, in the order they are scraped.
var components = []string{"api", "delivery", "worker", "tick"}

// families is one parsed scrape of one component.
type families map[string]*dto.MetricFamily

// scrapeMetrics fetches a component's /metrics and parses it with the
// Prometheus text parser.
func scrapeMetrics(t *testing.T, component string) families {
	t.Helper()

	resp, err := http.Get(chis.URL(component) + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()

	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("%s /metrics does not parse: %v", component, err)
	}

	return fams
}

func scrapeAll(t *testing.T) map[string]families {
	t.Helper()

	out := map[string]families{}
	for _, c := range components {
		out[c] = scrapeMetrics(t, c)
	}

	return out
}

// value is the value of the series of name whose labels include want: a
// counter's or gauge's value, or a histogram's sample count. Absent is 0.
func (f families) value(name string, want map[string]string) float64 {
	for _, m := range f[name].GetMetric() {
		if hasLabels(m, want) {
			switch {
			case m.GetHistogram() != nil:
				return float64(m.GetHistogram().GetSampleCount())
			case m.GetGauge() != nil:
				return m.GetGauge().GetValue()
			default:
				return m.GetCounter().GetValue()
			}
		}
	}

	return 0
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	got := map[string]string{}
	for _, l := range m.GetLabel() {
		got[l.GetName()] = l.GetValue()
	}

	for k, v := range want {
		if got[k] != v {
			return false
		}
	}

	return true
}

// increase is what the test expects a series to have grown by at least:
// other tests deliver on the same stack at the same time, so never exactly.
type increase struct {
	component, name string
	labels          map[string]string
	atLeast         float64
}

func (c increase) check(before, after map[string]families) error {
	d := after[c.component].value(c.name, c.labels) - before[c.component].value(c.name, c.labels)
	if d < c.atLeast {
		return fmt.Errorf("%s %s%v grew by %v, want at least %v", c.component, c.name,
			c.labels, d, c.atLeast)
	}

	return nil
}

// After two successes, a retry that then succeeds and a 410 that fails for
// good, each component's counters have grown by what the test caused.
func TestMetricsCountDeliveries(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	ok := newReceiver(t, always(200))
	gone := newReceiver(t, always(410))
	flaky := newReceiver(t, func(n int) int {
		if n == 1 {
			return 500
		}

		return 200
	})

	before := scrapeAll(t)

	want := map[string]string{
		tn.send(t, ok.URL, `{"n":1}`):    "success",
		tn.send(t, ok.URL, `{"n":2}`):    "success",
		tn.send(t, flaky.URL, `{"n":3}`): "success",
		tn.send(t, gone.URL, `{"n":4}`):  "failed",
	}
	for id, status := range want {
		if d := tn.waitFinal(t, id, 20*time.Second); d.Status != status {
			t.Fatalf("message %s: %s, want %s", id, d.Status, status)
		}
	}

	// The worker counts right after it records, so a final state can be seen
	// a moment before its counters move.
	checkIncreases(t, before, deliveryIncreases())
}

func deliveryIncreases() []increase {
	queueMessage := "/chis.delivery.v1.DeliveryService/QueueMessage"

	return []increase{
		{"api", "http_requests_total",
			map[string]string{"route": "/webhook/send", "method": "POST", "code": "201"}, 4},
		{"api", "http_request_duration_ms", map[string]string{"route": "/webhook/send"}, 4},
		{"delivery", "webhooks_accepted_total", map[string]string{"result": "stored"}, 4},
		{"delivery", "grpc_server_handled_total",
			map[string]string{"grpc_method": queueMessage, "grpc_code": "OK"}, 4},
		{"delivery", "grpc_server_handling_duration_ms",
			map[string]string{"grpc_method": queueMessage}, 4},
		{"worker", "webhooks_delivered_total", map[string]string{"outcome": "success"}, 3},
		{"worker", "webhooks_delivered_total", map[string]string{"outcome": "failed"}, 1},
		{"worker", "webhook_attempts_total",
			map[string]string{"outcome": "success", "error_class": ""}, 3},
		{"worker", "webhook_attempts_total",
			map[string]string{"outcome": "retry", "error_class": "http"}, 1},
		{"worker", "webhook_attempts_total",
			map[string]string{"outcome": "failed", "error_class": "http"}, 1},
		{"worker", "webhook_retries_scheduled_total", nil, 1},
		{"worker", "webhook_delivery_duration_ms", nil, 5},
	}
}

// checkIncreases scrapes until every increase is there, for up to 5 s, and
// reports those still missing.
func checkIncreases(t *testing.T, before map[string]families, want []increase) {
	t.Helper()

	deadline := time.Now().Add(5 * time.Second)
	for {
		after := scrapeAll(t)

		var missing []error
		for _, c := range want {
			if err := c.check(before, after); err != nil {
				missing = append(missing, err)
			}
		}

		if len(missing) == 0 {
			return
		}

		if time.Now().After(deadline) {
			for _, err := range missing {
				t.Error(err)
			}

			return
		}

		<-time.After(100 * time.Millisecond)
	}
}

// The queue gauges count what waits in Redis, and the lag gauge shows how
// long the oldest due message has waited, falling again once it is sent.
func TestMetricsShowQueueAndLag(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))
	rdb := testenv.Redis(t)
	ctx := context.Background()

	// Retries due in an hour: the workers leave them in the scheduled set.
	scheduled := []any{uuid.NewString(), uuid.NewString(), uuid.NewString()}
	for _, id := range scheduled {
		z := redis.Z{Score: float64(time.Now().Add(time.Hour).UnixMilli()), Member: id}
		if err := rdb.ZAdd(ctx, redisPrefix+":scheduled", z).Err(); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { rdb.ZRem(context.Background(), redisPrefix+":scheduled", scheduled...) })

	id := insertLateMessage(t, tn, rcv.URL, time.Hour)

	tick := scrapeMetrics(t, "tick")
	if n := tick.value("webhook_queue_scheduled_messages", nil); n < 3 {
		t.Errorf("scheduled set gauge %v, want at least the 3 retries this test added", n)
	}

	if _, ok := tick["webhook_queue_ready_messages"]; !ok {
		t.Error("no ready-list gauge")
	}

	if lag := tick.value("webhook_oldest_due_age_seconds", nil); lag < 3600 {
		t.Errorf("lag %v s with a message an hour late, want at least 3600", lag)
	}

	// Hand the late message to the workers; once it is sent, nothing is an
	// hour late any more.
	if err := rdb.LPush(ctx, redisPrefix+":ready", id).Err(); err != nil {
		t.Fatal(err)
	}

	tn.waitFinal(t, id, 15*time.Second)
	eventually(t, 5*time.Second, func() bool {
		return scrapeMetrics(t, "tick").value("webhook_oldest_due_age_seconds", nil) < 3600
	})
}

// insertLateMessage stores a message that fell due late ago, marked as just
// queued so that the sweep leaves it alone for its requeue delay.
func insertLateMessage(t *testing.T, tn tenant, url string, late time.Duration) string {
	t.Helper()

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()

	id := uuid.NewString()
	_, err = conn.Exec(ctx, `
		INSERT INTO messages (id, org_id, url, method, payload, state, next_attempt_at,
			last_queued_at, created_at, updated_at)
		VALUES ($1, $2, $3, 'POST', '{"late":true}', 'pending',
			now() - $4 * interval '1 second', now(), now(), now())`,
		id, tn.orgID, url, int64(late.Seconds()))
	if err != nil {
		t.Fatal(err)
	}

	return id
}

// Each component exports exactly the metrics monitoring/metrics.txt lists
// for it (the client library's own aside), with the listed type, and no
// label value is a URL, a key, a token or an id.
func TestMetricsMatchTheListAndStayBounded(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	rcv := newReceiver(t, always(200))
	id := tn.send(t, rcv.URL+"/hook?token=LABEL_SECRET", `{"n":1}`)
	tn.waitFinal(t, id, 20*time.Second)

	for _, c := range components {
		fams := scrapeMetrics(t, c)
		checkListed(t, c, fams)
		checkLabelValues(t, c, fams, []string{tn.apiKey, tn.token, tn.orgID, id, rcv.URL,
			"LABEL_SECRET"})
	}
}

func checkListed(t *testing.T, component string, fams families) {
	t.Helper()

	listed, err := monitoring.For(component)
	if err != nil {
		t.Fatal(err)
	}

	names := map[string]bool{}
	for _, m := range listed {
		names[m.Name] = true

		f, ok := fams[m.Name]
		if !ok {
			t.Errorf("%s does not export %s, which metrics.txt lists", component, m.Name)
			continue
		}

		if got := strings.ToLower(f.GetType().String()); got != m.Type {
			t.Errorf("%s %s is a %s, metrics.txt says %s", component, m.Name, got, m.Type)
		}
	}

	for name := range fams {
		if !names[name] && !libraryMetric(name) {
			t.Errorf("%s exports %s, which metrics.txt does not list", component, name)
		}
	}
}

// libraryMetric tells the client library's own series from Chis's.
func libraryMetric(name string) bool {
	return strings.HasPrefix(name, "go_") || strings.HasPrefix(name, "process_") ||
		strings.HasPrefix(name, "promhttp_")
}

// checkLabelValues fails on a label value that holds a secret or an id, or
// looks like a URL.
func checkLabelValues(t *testing.T, component string, fams families, secrets []string) {
	t.Helper()

	for name, f := range fams {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if bad := badLabel(l.GetValue(), secrets); bad != "" {
					t.Errorf("%s %s{%s=%q}: %s", component, name, l.GetName(), l.GetValue(), bad)
				}
			}
		}
	}
}

func badLabel(v string, secrets []string) string {
	if strings.Contains(v, "://") || strings.Contains(v, "?") {
		return "a URL"
	}

	for _, s := range secrets {
		if strings.Contains(v, s) {
			return "a key, token, id or target"
		}
	}

	if _, err := uuid.Parse(v); err == nil {
		return "an id"
	}

	return ""
}
