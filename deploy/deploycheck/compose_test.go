package deploycheck

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/chis-dev/chis/shared/config"
)

const (
	composeFile = "compose.yaml"
	healthy     = types.ServiceConditionHealthy
	completed   = types.ServiceConditionCompletedSuccessfully
)

// composeNeeds is the start order compose.yaml keeps: what each service waits
// for, and until what.
var composeNeeds = map[string]map[string]string{
	"postgres": {},
	"redis":    {},
	"migrate":  {"postgres": healthy},
	"delivery": {"migrate": completed, "postgres": healthy, "redis": healthy},
	"api":      {"migrate": completed, "delivery": healthy},
	"tick":     {"migrate": completed, "postgres": healthy, "redis": healthy},
	"ticker":   {"tick": healthy},
	"worker":   {"migrate": completed, "postgres": healthy, "redis": healthy},
}

// dockerStopGrace is how long `docker compose stop` waits by default.
const dockerStopGrace = 10 * time.Second

// checkCompose loads compose.yaml with the Compose specification's own loader
// (which validates it against the specification's schema) and checks it.
func checkCompose(tr tree) []finding {
	p, err := loadCompose(tr[composeFile])
	if err != nil {
		return []finding{{composeFile, "compose-load", err.Error()}}
	}

	var fs []finding
	for _, check := range composeChecks {
		fs = append(fs, check(p, tr)...)
	}

	return fs
}

var composeChecks = []func(p *types.Project, tr tree) []finding{
	composeServices, composeOrder, composeHealth, composeConfigs, composeGrace,
	composeImages, composeTicker, composeAPIPort,
}

// loadCompose reads compose.yaml as `docker compose up` would with no .env
// file, so that the defaults are what gets checked.
func loadCompose(data []byte) (*types.Project, error) {
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		return nil, fmt.Errorf("find repository: %w", err)
	}

	details := types.ConfigDetails{
		WorkingDir:  root,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(root, composeFile), Content: data}},
		Environment: types.Mapping{},
	}

	p, err := loader.LoadWithContext(context.Background(), details,
		func(o *loader.Options) { o.SetProjectName("chis", true) })
	if err != nil {
		return nil, fmt.Errorf("load compose: %w", err)
	}

	return p, nil
}

// composeServices: exactly the services of the design, so that none is
// forgotten and no stray one starts.
func composeServices(p *types.Project, _ tree) []finding {
	got := slices.Sorted(maps.Keys(p.Services))
	want := slices.Sorted(maps.Keys(composeNeeds))

	if !slices.Equal(got, want) {
		return []finding{{composeFile, "compose-services",
			fmt.Sprintf("services %v, want %v", got, want)}}
	}

	return nil
}

// composeOrder: each service waits for what it needs, in the right state:
// the migrations done, the stores and Delivery healthy.
func composeOrder(p *types.Project, _ tree) []finding {
	var fs []finding

	for name, needs := range composeNeeds {
		svc, ok := p.Services[name]
		if !ok {
			continue
		}

		for dep, cond := range needs {
			if got := svc.DependsOn[dep].Condition; got != cond {
				fs = append(fs, finding{composeFile, "compose-order",
					fmt.Sprintf("%s waits for %s until %q, want %q", name, dep, got, cond)})
			}
		}
	}

	return fs
}

// composeHealth: what others wait to be healthy has a health check.
func composeHealth(p *types.Project, _ tree) []finding {
	var fs []finding

	for name, svc := range p.Services {
		for dep, d := range svc.DependsOn {
			hc := p.Services[dep].HealthCheck
			if d.Condition == healthy && (hc == nil || hc.Disable || len(hc.Test) == 0) {
				fs = append(fs, finding{composeFile, "compose-health",
					fmt.Sprintf("%s waits for %s to be healthy, which has no health check",
						name, dep)})
			}
		}
	}

	return fs
}

// composeConfigs: every Chis service's environment is a configuration its
// binary accepts, and none binds one address only.
func composeConfigs(p *types.Project, _ tree) []finding {
	var fs []finding

	for name, svc := range p.Services {
		cfg := componentConfig(name)
		if cfg == nil {
			continue
		}

		env := composeEnv(svc)
		if err := config.Load(cfg, env); err != nil {
			fs = append(fs, finding{composeFile, "compose-config", name + ": " + err.Error()})
		}

		if env["HOST"] != "" {
			fs = append(fs, finding{composeFile, "compose-config", name + " sets HOST"})
		}
	}

	return fs
}

// composeGrace: stopping a worker waits longer than one delivery attempt.
func composeGrace(p *types.Project, _ tree) []finding {
	svc := p.Services["worker"]

	var cfg config.Worker
	if err := config.Load(&cfg, composeEnv(svc)); err != nil {
		return nil // composeConfigs reports it
	}

	grace := dockerStopGrace
	if svc.StopGracePeriod != nil {
		grace = time.Duration(*svc.StopGracePeriod)
	}

	if need := cfg.Timeout + shutdownSlack; grace <= need {
		return []finding{{composeFile, "compose-grace",
			fmt.Sprintf("worker stop_grace_period %v, want over %v", grace, need)}}
	}

	return nil
}

// composeImages: each Chis service builds its own Dockerfile target, under
// the image name `make images` gives it.
func composeImages(p *types.Project, tr tree) []finding {
	var fs []finding
	targets := dockerTargets(tr)

	for name, svc := range p.Services {
		if componentConfig(name) == nil {
			continue
		}

		image, _, _ := strings.Cut(svc.Image, ":")
		switch {
		case svc.Build == nil || !targets[svc.Build.Target] || svc.Build.Target != name:
			fs = append(fs, finding{composeFile, "compose-image",
				name + " does not build its Dockerfile target"})
		case image != "dev.local/chis-"+name:
			fs = append(fs, finding{composeFile, "compose-image",
				fmt.Sprintf("%s image %s, want dev.local/chis-%s", name, svc.Image, name)})
		}
	}

	return fs
}

// composeTicker: the PingSource's stand-in posts CloudEvents to Tick's /Tick
// on the port Tick listens on.
func composeTicker(p *types.Project, _ tree) []finding {
	var cfg config.Tick
	if err := config.Load(&cfg, composeEnv(p.Services["tick"])); err != nil {
		return nil // composeConfigs reports it
	}

	script := strings.Join(p.Services["ticker"].Command, " ")
	url := "http://tick:" + cfg.Port + "/Tick"

	if !strings.Contains(script, url) || !strings.Contains(script, "Ce-Specversion: 1.0") {
		return []finding{{composeFile, "compose-ticker",
			"ticker does not post CloudEvents to " + url}}
	}

	return nil
}

// composeAPIPort: the API is published on the port it listens on.
func composeAPIPort(p *types.Project, _ tree) []finding {
	var cfg config.API
	if err := config.Load(&cfg, composeEnv(p.Services["api"])); err != nil {
		return nil // composeConfigs reports it
	}

	for _, port := range p.Services["api"].Ports {
		if fmt.Sprint(port.Target) == cfg.Port {
			return nil
		}
	}

	return []finding{{composeFile, "compose-port", "api does not publish port " + cfg.Port}}
}

// composeEnv is a service's environment as its process sees it.
func composeEnv(svc types.ServiceConfig) map[string]string {
	env := map[string]string{}

	for k, v := range svc.Environment {
		if v != nil {
			env[k] = *v
		}
	}

	return env
}

// TestComposePasses loads compose.yaml with compose-go and checks it.
func TestComposePasses(t *testing.T) {
	t.Parallel()

	if fs := checkCompose(readTree(t)); len(fs) > 0 {
		t.Fatalf("%d problems:\n%s", len(fs), report(fs))
	}
}

// TestBrokenComposeIsCaught breaks compose.yaml on purpose, one way at a
// time, and expects the named check to catch each.
func TestBrokenComposeIsCaught(t *testing.T) {
	t.Parallel()

	tr := readTree(t)
	cases := []struct {
		name, old, new, check string
	}{
		{"misspelt key", "    stop_grace_period: 45s", "    stop_grace_periode: 45s",
			"compose-load"},
		{"API before Delivery is healthy", "delivery: {condition: service_healthy}",
			"delivery: {condition: service_started}", "compose-order"},
		{"no health check to wait for", "      test: [\"CMD\", \"wget\", \"-q\", \"-O\", " +
			"\"/dev/null\", \"http://127.0.0.1:50051/ready\"]\n", "      disable: true\n",
			"compose-health"},
		{"short worker grace", "stop_grace_period: 45s", "stop_grace_period: 5s",
			"compose-grace"},
		{"secret too short", "compose-only-jwt-secret-change-me-in-dot-env", "short",
			"compose-config"},
		{"wrong build target", "target: worker}", "target: workers}", "compose-image"},
		{"ticker on the wrong port", "http://tick:8084/Tick", "http://tick:8080/Tick",
			"compose-ticker"},
		{"worker forgotten", "\n  worker:\n", "\n  workers:\n", "compose-services"},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()

			fs := checkCompose(tr.with(t, composeFile, c.old, c.new))
			if !caught(fs, c.check) {
				t.Fatalf("check %q did not catch it; found:\n%s", c.check, report(fs))
			}

			t.Logf("caught:\n%s", report(fs))
		})
	}
}
