package deploycheck

import (
	"bytes"
	"fmt"
	"maps"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"

	yaml3 "go.yaml.in/yaml/v3"

	"github.com/chis-dev/chis/shared/config"
)

const (
	stackFile         = "openfaas/stack.yml"
	stackSecretsFile  = "openfaas/chis.secrets.example.yml"
	openfaasPort      = "8080"
	openfaasNamespace = "openfaas-fn"
)

// stack is faas-cli's stack.yml format (the fields faas-cli reads), so that
// a strict decode refuses a misspelt key as faas-cli would ignore it.
type stack struct {
	Version  string `yaml:"version"`
	Provider struct {
		Name    string `yaml:"name"`
		Gateway string `yaml:"gateway"`
		Network string `yaml:"network"`
	} `yaml:"provider"`
	Functions     map[string]function `yaml:"functions"`
	Configuration map[string]any      `yaml:"configuration"`
}

type function struct {
	Lang                   string            `yaml:"lang"`
	Handler                string            `yaml:"handler"`
	Image                  string            `yaml:"image"`
	RegistryAuth           string            `yaml:"registry_auth"`
	FProcess               string            `yaml:"fprocess"`
	Environment            map[string]string `yaml:"environment"`
	Secrets                []string          `yaml:"secrets"`
	SkipBuild              bool              `yaml:"skip_build"`
	Constraints            []string          `yaml:"constraints"`
	EnvironmentFile        []string          `yaml:"environment_file"`
	Labels                 map[string]string `yaml:"labels"`
	Annotations            map[string]string `yaml:"annotations"`
	Limits                 map[string]string `yaml:"limits"`
	Requests               map[string]string `yaml:"requests"`
	ReadOnlyRootFilesystem bool              `yaml:"readonly_root_filesystem"`
	BuildOptions           []string          `yaml:"build_options"`
	BuildArgs              map[string]string `yaml:"build_args"`
	Namespace              string            `yaml:"namespace"`
}

// stackComponents maps each function to the Chis binary it runs.
var stackComponents = map[string]string{"chis-api": "api", "chis-tick": "tick"}

// checkStack checks openfaas/stack.yml: the two functions, their health
// routes, their scale bounds and the configuration each binary would read.
func checkStack(tr tree) []finding {
	var st stack
	if err := decodeStrict(tr[stackFile], &st); err != nil {
		return []finding{{stackFile, "stack-load", err.Error()}}
	}

	var env struct {
		Environment map[string]string `yaml:"environment"`
	}
	if err := decodeStrict(tr[stackSecretsFile], &env); err != nil {
		return []finding{{stackSecretsFile, "stack-load", err.Error()}}
	}

	fs := stackShape(st)
	for name, fn := range st.Functions {
		fs = append(fs, functionFindings(name, fn, env.Environment, tr)...)
	}

	return fs
}

func decodeStrict(data []byte, v any) error {
	dec := yaml3.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)

	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode: %w", err)
	}

	return nil
}

func stackShape(st stack) []finding {
	got := slices.Sorted(maps.Keys(st.Functions))
	want := slices.Sorted(maps.Keys(stackComponents))

	switch {
	case st.Provider.Name != "openfaas":
		return []finding{{stackFile, "stack", "provider " + st.Provider.Name + ", want openfaas"}}
	case !slices.Equal(got, want):
		return []finding{{stackFile, "stack", fmt.Sprintf("functions %v, want %v", got, want)}}
	}

	return nil
}

// functionFindings checks one function against what OpenFaaS does: traffic
// and probes on 8080, probes at the health path annotation, scale labels.
func functionFindings(name string, fn function, secrets map[string]string, tr tree) []finding {
	var fs []finding
	add := func(format string, args ...any) {
		fs = append(fs, finding{stackFile, "stack", name + ": " + fmt.Sprintf(format, args...)})
	}

	comp := stackComponents[name]
	if img, _, _ := strings.Cut(fn.Image, ":"); img != "dev.local/chis-"+comp {
		add("image %s, want dev.local/chis-%s", fn.Image, comp)
	}

	if p := fn.Annotations["com.openfaas.health.http.path"]; p != "/health" {
		add("health path %q, want /health (Chis does not serve /_/health)", p)
	}

	if err := scaleLabels(fn.Labels); err != nil {
		add("%v", err)
	}

	if !slices.Equal(fn.EnvironmentFile, []string{"chis.secrets.yml"}) {
		add("environment_file %v, want [chis.secrets.yml]", fn.EnvironmentFile)
	}

	for _, err := range functionConfig(comp, fn, secrets, tr) {
		add("%v", err)
	}

	return fs
}

// functionConfig loads the function's configuration as the binary would, with
// the example secrets, and checks the port and the targets it implies.
func functionConfig(comp string, fn function, secrets map[string]string, tr tree) []error {
	env := maps.Clone(secrets)
	maps.Copy(env, fn.Environment)

	cfg := componentConfig(comp)
	if err := config.Load(cfg, env); err != nil {
		return []error{err}
	}

	var errs []error
	switch c := cfg.(type) {
	case *config.API:
		errs = append(errs, portIs(c.Port), deliveryService(c.DeliveryAddr, tr))
		if env["FUNCTION_TARGET"] != "API" {
			errs = append(errs, fmt.Errorf("FUNCTION_TARGET %q, want API", env["FUNCTION_TARGET"]))
		}
	case *config.Tick:
		errs = append(errs, portIs(c.Port))
		if _, set := env["FUNCTION_TARGET"]; set {
			errs = append(errs, fmt.Errorf("tick must not set FUNCTION_TARGET"))
		}
	}

	return slices.DeleteFunc(errs, func(err error) bool { return err == nil })
}

func portIs(port string) error {
	if port != openfaasPort {
		return fmt.Errorf("listens on %s; OpenFaaS sends traffic and probes to %s",
			port, openfaasPort)
	}

	return nil
}

// deliveryService: the API dials the Delivery Service of support.yaml.
func deliveryService(addr string, tr tree) error {
	objs, err := parseObjects("openfaas/support.yaml", tr["openfaas/support.yaml"])
	if err != nil {
		return err
	}

	host, port, _ := net.SplitHostPort(addr)
	for _, o := range objs {
		if o.is("", "Service") && o.component() == "delivery" {
			want := o.Metadata.Name + "." + openfaasNamespace + ".svc.cluster.local"
			if host == want && port == "50051" {
				return nil
			}

			return fmt.Errorf("DELIVERY_GRPC_ADDR %s, want %s:50051", addr, want)
		}
	}

	return fmt.Errorf("support.yaml has no Delivery Service")
}

func scaleLabels(labels map[string]string) error {
	lo, err1 := strconv.Atoi(labels["com.openfaas.scale.min"])
	hi, err2 := strconv.Atoi(labels["com.openfaas.scale.max"])

	if err1 != nil || err2 != nil || lo < 1 || lo > hi {
		return fmt.Errorf("scale labels min %q max %q: want 1 <= min <= max "+
			"(Community Edition does not scale to zero)",
			labels["com.openfaas.scale.min"], labels["com.openfaas.scale.max"])
	}

	return nil
}

// TestStackPasses checks openfaas/stack.yml.
func TestStackPasses(t *testing.T) {
	t.Parallel()

	if fs := checkStack(readTree(t)); len(fs) > 0 {
		t.Fatalf("%d problems:\n%s", len(fs), report(fs))
	}
}

// TestBrokenStackIsCaught breaks openfaas/stack.yml on purpose, one way at a
// time, and expects each to be caught.
func TestBrokenStackIsCaught(t *testing.T) {
	t.Parallel()

	tr := readTree(t)
	cases := []struct {
		name, old, new, check string
	}{
		{"misspelt key", "    skip_build: true", "    skipbuild: true", "stack-load"},
		{"default health path", "com.openfaas.health.http.path: /health",
			"com.openfaas.health.http.path: /_/health", "stack"},
		{"tick on its own port", `PORT: "8080"`, `PORT: "8084"`, "stack"},
		{"scaled to zero", `com.openfaas.scale.min: "1"`, `com.openfaas.scale.min: "0"`, "stack"},
		{"API not the one function", "FUNCTION_TARGET: API", "FUNCTION_TARGET: Api", "stack"},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()

			fs := checkStack(tr.with(t, stackFile, c.old, c.new))
			if !caught(fs, c.check) {
				t.Fatalf("check %q did not catch it; found:\n%s", c.check, report(fs))
			}

			t.Logf("caught:\n%s", report(fs))
		})
	}
}
