package monitoring_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/chis-dev/chis/monitoring"
)

// promtool finds Prometheus's checker (Debian: apt-get install prometheus).
// Without it the test is skipped, except in CI, where it must be there.
func promtool(t *testing.T) string {
	t.Helper()

	path, err := exec.LookPath("promtool")
	if err == nil {
		return path
	}

	if os.Getenv("CI") == "true" {
		t.Fatal("promtool is missing; .ci/run must install it (apt-get install -y prometheus)")
	}

	t.Skip("promtool is not installed (apt-get install prometheus): rules not checked")

	return ""
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()

	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
}

// The rules are valid and fire (or stay quiet) in the cases of
// alerts_test.yml: stalled sweep, lag, growing queue, failure rate and more.
func TestAlertRulesPassPromtool(t *testing.T) {
	t.Parallel()

	bin := promtool(t)
	run(t, bin, "check", "rules", "alerts.yml")
	run(t, bin, "test", "rules", "alerts_test.yml")
}

// Every query of the dashboard is valid PromQL: each is checked by promtool
// as the expression of a recording rule.
func TestDashboardQueriesParse(t *testing.T) {
	t.Parallel()

	bin := promtool(t)

	var rules strings.Builder
	rules.WriteString("groups:\n  - name: dashboard\n    rules:\n")
	for i, expr := range dashboardExprs(t) {
		b, _ := json.Marshal(expr)
		fmt.Fprintf(&rules, "      - record: chis:dashboard_query_%d\n        expr: %s\n", i, b)
	}

	path := filepath.Join(t.TempDir(), "dashboard-rules.yml")
	if err := os.WriteFile(path, []byte(rules.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	run(t, bin, "check", "rules", path)
}

// The rules and the dashboard use only metrics that Chis exports (the list
// the e2e test checks the running components against), plus Prometheus's
// own up.
func TestRulesAndDashboardUseExportedMetrics(t *testing.T) {
	t.Parallel()

	known := exported(t)
	exprs := append(ruleExprs(t), dashboardExprs(t)...)

	used := map[string]bool{}
	for _, expr := range exprs {
		for _, name := range metricNames(expr) {
			used[name] = true

			if !known[seriesFamily(name, known)] {
				t.Errorf("%q uses %s, which no component exports", expr, name)
			}
		}
	}

	// The key series must be watched somewhere, or the list is only a list.
	for _, name := range []string{"sweep_runs_total", "webhook_oldest_due_age_seconds",
		"webhook_queue_ready_messages", "webhooks_delivered_total"} {
		if !used[name] {
			t.Errorf("neither the rules nor the dashboard use %s", name)
		}
	}
}

// Every alert says how bad it is and what happened.
func TestAlertsHaveSeverityAndSummary(t *testing.T) {
	t.Parallel()

	for _, r := range rules(t) {
		if r.Alert == "" {
			continue
		}

		if s := r.Labels["severity"]; s != "warning" && s != "critical" {
			t.Errorf("%s: severity %q, want warning or critical", r.Alert, s)
		}

		if r.Annotations["summary"] == "" || r.Annotations["description"] == "" {
			t.Errorf("%s: needs a summary and a description", r.Alert)
		}
	}
}

// The operator's page names every exported metric.
func TestDocsNameEveryMetric(t *testing.T) {
	t.Parallel()

	doc, err := os.ReadFile("../docs/observability.md")
	if err != nil {
		t.Fatal(err)
	}

	all, err := monitoring.Metrics()
	if err != nil {
		t.Fatal(err)
	}

	for _, m := range all {
		if !strings.Contains(string(doc), "`"+m.Name+"`") {
			t.Errorf("docs/observability.md does not name %s", m.Name)
		}
	}
}

func exported(t *testing.T) map[string]bool {
	t.Helper()

	all, err := monitoring.Metrics()
	if err != nil {
		t.Fatal(err)
	}

	known := map[string]bool{"up": true}
	for _, m := range all {
		known[m.Name] = true
	}

	return known
}

// seriesFamily maps a histogram's series (_bucket, _sum, _count) to its
// family's name.
func seriesFamily(name string, known map[string]bool) string {
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suffix); ok && known[base] {
			return base
		}
	}

	return name
}

type rule struct {
	Alert       string            `json:"alert"`
	Record      string            `json:"record"`
	Expr        string            `json:"expr"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
}

func rules(t *testing.T) []rule {
	t.Helper()

	b, err := os.ReadFile("alerts.yml")
	if err != nil {
		t.Fatal(err)
	}

	var file struct {
		Groups []struct {
			Rules []rule `json:"rules"`
		} `json:"groups"`
	}
	if err := yaml.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}

	var out []rule
	for _, g := range file.Groups {
		out = append(out, g.Rules...)
	}

	return out
}

func ruleExprs(t *testing.T) []string {
	t.Helper()

	var out []string
	for _, r := range rules(t) {
		out = append(out, r.Expr)
	}

	return out
}

// dashboardExprs returns every "expr" in dashboard.json, wherever it is.
func dashboardExprs(t *testing.T) []string {
	t.Helper()

	b, err := os.ReadFile("dashboard.json")
	if err != nil {
		t.Fatal(err)
	}

	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("dashboard.json: %v", err)
	}

	var out []string
	walk(doc, func(key string, v any) {
		if s, ok := v.(string); ok && key == "expr" {
			out = append(out, s)
		}
	})

	if len(out) == 0 {
		t.Fatal("dashboard.json has no queries")
	}

	return out
}

func walk(v any, visit func(key string, v any)) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			visit(k, child)
			walk(child, visit)
		}
	case []any:
		for _, child := range x {
			walk(child, visit)
		}
	}
}

func TestMetricNames(t *testing.T) {
	t.Parallel()

	for expr, want := range map[string][]string{
		`up{job=~"chis-.*"} == 0`:                                          {"up"},
		`sum by (le) (rate(a_ms_bucket{x="y(z)"}[5m]))`:                    {"a_ms_bucket"},
		`sum(rate(a_total[5m])) by (outcome) / ignoring(x) b offset 1h`:    {"a_total", "b"},
		`max(deriv(q[10m])) > 0 and on() absent(s{result="ok"}) or c`:      {"q", "s", "c"},
		`histogram_quantile(0.95, sum without (pod) (rate(d_bucket[1m])))`: {"d_bucket"},
		`x * on(a) group_left(b) y > bool 1e3`:                             {"x", "y"},
	} {
		if got := metricNames(expr); !slices.Equal(got, want) {
			t.Errorf("metricNames(%q) = %q, want %q", expr, got, want)
		}
	}
}

// keywords are PromQL words that are not metric names wherever they stand;
// aggregations are among them, since `sum by (x) (...)` puts no parenthesis
// right after the name.
var keywords = map[string]bool{
	"and": true, "or": true, "unless": true, "bool": true, "offset": true, "by": true,
	"without": true, "on": true, "ignoring": true, "group_left": true, "group_right": true,
	"inf": true, "nan": true, "sum": true, "min": true, "max": true, "avg": true,
	"group": true, "stddev": true, "stdvar": true, "count": true, "count_values": true,
	"bottomk": true, "topk": true, "quantile": true, "limitk": true, "limit_ratio": true,
}

// labelLists are the words followed by a list of label names, not series.
var labelLists = map[string]bool{
	"by": true, "without": true, "on": true, "ignoring": true, "group_left": true,
	"group_right": true,
}

// metricNames returns the metric names a PromQL expression selects, in
// order: every identifier that is not a function, a keyword or a label,
// outside matchers, ranges and strings. Enough for the expressions of this
// folder; it is no full PromQL parser.
func metricNames(expr string) []string {
	var out []string

	for i := 0; i < len(expr); {
		c := expr[i]

		switch {
		case c == '"' || c == '\'' || c == '`':
			i = skipString(expr, i)
		case c == '{':
			i = skipTo(expr, i, '}')
		case c == '[':
			i = skipTo(expr, i, ']')
		case isDigit(c):
			i = skipWord(expr, i) // numbers and durations: 0.95, 1e3, 5m
		case isIdentStart(c):
			word, next := expr[i:skipWord(expr, i)], skipWord(expr, i)
			i = next

			paren := strings.HasPrefix(strings.TrimLeft(expr[next:], " \t\n"), "(")
			if paren && labelLists[word] {
				i = skipTo(expr, strings.IndexByte(expr[next:], '(')+next, ')')
			}

			if !paren && !keywords[word] {
				out = append(out, word)
			}
		default:
			i++
		}
	}

	return out
}

func skipString(s string, i int) int {
	quote := s[i]
	for i++; i < len(s) && s[i] != quote; i++ {
		if s[i] == '\\' {
			i++
		}
	}

	return i + 1
}

// skipTo returns the index after the first end at or after i, strings
// inside skipped whole.
func skipTo(s string, i int, end byte) int {
	for i++; i < len(s) && s[i] != end; {
		if s[i] == '"' || s[i] == '\'' {
			i = skipString(s, i)
			continue
		}

		i++
	}

	return i + 1
}

func skipWord(s string, i int) int {
	for i < len(s) && (isIdentStart(s[i]) || isDigit(s[i]) || s[i] == '.') {
		i++
	}

	return i
}

func isIdentStart(c byte) bool {
	return c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
