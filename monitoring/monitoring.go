// Package monitoring is the operator's side of Chis's metrics: the list of
// every metric the components export (metrics.txt), the Prometheus alert
// rules (alerts.yml, with their unit tests in alerts_test.yml) and the
// Grafana dashboard (dashboard.json) that use them. The Go code only reads
// the list, so that tests can check the components, the rules, the
// dashboard and the docs against the one copy of it.
package monitoring

import (
	_ "embed"
	"fmt"
	"strings"
)

//go:embed metrics.txt
var metricsList string

// AllComponents is the component field of a metric every component exports.
const AllComponents = "*"

// Metric is one exported metric family.
type Metric struct {
	// Component is api, delivery, worker, tick, or AllComponents.
	Component string
	// Name is the family's name, without the _bucket, _sum and _count
	// suffixes of a histogram's series.
	Name string
	// Type is counter, gauge or histogram.
	Type string
}

// Metrics returns the list. It fails on a line that is not three fields.
func Metrics() ([]Metric, error) {
	var out []Metric

	for i, line := range strings.Split(metricsList, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}

		f := strings.Fields(line)
		if len(f) != 3 {
			return nil, fmt.Errorf("metrics.txt line %d: want component, name and type", i+1)
		}

		out = append(out, Metric{Component: f[0], Name: f[1], Type: f[2]})
	}

	return out, nil
}

// For returns the metrics that a component exports, those of every
// component included.
func For(component string) ([]Metric, error) {
	all, err := Metrics()
	if err != nil {
		return nil, err
	}

	var out []Metric
	for _, m := range all {
		if m.Component == component || m.Component == AllComponents {
			out = append(out, m)
		}
	}

	return out, nil
}
