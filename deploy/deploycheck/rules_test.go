package deploycheck

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chis-dev/chis/shared/config"
)

// rules are the project's checks that no schema can express.
var rules = []func(s *objects, tr tree) []finding{
	knativePorts, reservedEnv, scaleBounds, warmReason, functionTarget, hostUnset,
	probes, secretKeys, configLoads, workerGrace, scaler, pingSources, images, kustomization,
	deliveryAddress,
}

const (
	servingGroup = "serving.knative.dev"
	minScale     = "autoscaling.knative.dev/min-scale"
	maxScale     = "autoscaling.knative.dev/max-scale"
)

// reserved are the variables Knative sets in every container; a manifest
// that sets one is refused, or worse, lies to the process.
var reserved = []string{"PORT", "K_SERVICE", "K_CONFIGURATION", "K_REVISION"}

// shutdownSlack is what a worker needs after its last attempt ends: it
// records the attempt in one transaction and stops its health server (2 s).
const shutdownSlack = 10 * time.Second

// knativePorts: one port per Knative container, named as Knative allows, and
// h2c for Delivery, without which Knative would speak HTTP/1.1 to gRPC.
func knativePorts(s *objects, _ tree) []finding {
	var fs []finding

	for _, o := range s.byKind(servingGroup, "Service") {
		for _, c := range o.Spec.Template.Spec.Containers {
			if len(c.Ports) != 1 {
				fs = append(fs, o.finding("port", "container %s has %d ports, want 1",
					c.Name, len(c.Ports)))
				continue
			}

			name := c.Ports[0].Name
			if name != "" && name != "http1" && name != "h2c" {
				fs = append(fs, o.finding("port", "port name %q: want h2c or http1", name))
			}

			if o.component() == "delivery" && name != "h2c" {
				fs = append(fs, o.finding("port", "delivery serves gRPC: port name %q, want h2c",
					name))
			}
		}
	}

	return fs
}

// reservedEnv: no container of a Knative Service sets a reserved variable,
// neither by name nor through a ConfigMap or Secret it takes whole.
func reservedEnv(s *objects, _ tree) []finding {
	var fs []finding

	for _, o := range s.byKind(servingGroup, "Service") {
		for _, c := range o.Spec.Template.Spec.Containers {
			for name := range declaredEnv(s, o, c) {
				if slices.Contains(reserved, name) {
					fs = append(fs, o.finding("reserved-env", "%s sets %s, which Knative reserves",
						c.Name, name))
				}
			}
		}
	}

	return fs
}

// scaleBounds: scale annotations are whole numbers, and min-scale is at most
// max-scale (0 meaning no upper bound).
func scaleBounds(s *objects, _ tree) []finding {
	var fs []finding

	for _, o := range s.byKind(servingGroup, "Service") {
		lo, err1 := scaleAnnotation(o, minScale)
		hi, err2 := scaleAnnotation(o, maxScale)

		switch {
		case err1 != nil || err2 != nil:
			fs = append(fs, o.finding("scale", "%v", firstError(err1, err2)))
		case hi > 0 && lo > hi:
			fs = append(fs, o.finding("scale", "min-scale %d above max-scale %d", lo, hi))
		}
	}

	return fs
}

// warmReason: a service kept from scaling to zero says why, in a comment
// above its min-scale; and Tick, pinged every 5 s, keeps exactly one pod.
func warmReason(s *objects, _ tree) []finding {
	var fs []finding

	for _, o := range s.byKind(servingGroup, "Service") {
		lo, err := scaleAnnotation(o, minScale)
		if err != nil {
			continue
		}

		comment := keyComment(o.node, "spec", "template", "metadata", "annotations", minScale)
		if lo > 0 && strings.TrimSpace(comment) == "" {
			fs = append(fs, o.finding("warm-reason", "min-scale %d without a comment saying why",
				lo))
		}

		if o.component() == "tick" && lo != 1 {
			fs = append(fs, o.finding("warm-reason", "tick min-scale %d, want 1", lo))
		}
	}

	return fs
}

// functionTarget: the API names its one function; Tick names none, so that
// its health routes are served beside /Tick.
func functionTarget(s *objects, _ tree) []finding {
	var fs []finding

	for _, o := range s.byKind(servingGroup, "Service") {
		for _, c := range o.Spec.Template.Spec.Containers {
			target, set := resolveEnv(s, o, c)["FUNCTION_TARGET"]

			switch {
			case o.component() == "api" && target != "API":
				fs = append(fs, o.finding("function-target", "FUNCTION_TARGET %q, want API",
					target))
			case o.component() == "tick" && set:
				fs = append(fs, o.finding("function-target",
					"tick sets FUNCTION_TARGET; it must serve /Tick beside /health"))
			}
		}
	}

	return fs
}

// hostUnset: no container binds one address only; inside a pod the binaries
// must listen on every interface, which an empty HOST means.
func hostUnset(s *objects, _ tree) []finding {
	var fs []finding

	for _, o := range workloads(s) {
		for _, c := range o.Spec.Template.Spec.Containers {
			if host := resolveEnv(s, o, c)["HOST"]; host != "" {
				fs = append(fs, o.finding("host", "%s sets HOST=%s", c.Name, host))
			}
		}
	}

	return fs
}

// probes: every serving Chis container has a readiness and a liveness probe,
// and Delivery's readiness is the gRPC health service on its own port.
func probes(s *objects, _ tree) []finding {
	var fs []finding

	for _, o := range workloads(s) {
		if !slices.Contains([]string{"api", "delivery", "tick", "worker"}, o.component()) {
			continue
		}

		for _, c := range o.Spec.Template.Spec.Containers {
			fs = append(fs, containerProbes(o, c)...)
		}
	}

	return fs
}

func containerProbes(o *object, c container) []finding {
	if c.ReadinessProbe == nil || c.LivenessProbe == nil {
		return []finding{o.finding("probes", "%s needs readiness and liveness probes", c.Name)}
	}

	if o.component() != "delivery" {
		return nil
	}

	g := c.ReadinessProbe.GRPC
	if g == nil || len(c.Ports) == 0 || g.Port != c.Ports[0].ContainerPort {
		return []finding{o.finding("probes", "delivery readiness must be gRPC on its port")}
	}

	return nil
}

// secretKeys: every key taken from the Secret is one the template lists, so
// that a Secret made from the template has all of them.
func secretKeys(s *objects, _ tree) []finding {
	secret := secretTemplate(s)
	if secret == nil {
		return []finding{{"knative/secret.template.yaml", "secret", "no Secret named chis"}}
	}

	var fs []finding
	missing := func(o *object, key string) {
		if _, ok := secret.StringData[key]; !ok {
			fs = append(fs, o.finding("secret", "key %s is not in the Secret template", key))
		}
	}

	for _, o := range workloads(s) {
		for _, c := range o.Spec.Template.Spec.Containers {
			for _, e := range c.Env {
				if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
					missing(o, e.ValueFrom.SecretKeyRef.Key)
				}
			}
		}
	}

	for _, o := range s.byKind("keda.sh", "TriggerAuthentication") {
		for _, r := range o.Spec.SecretTargetRef {
			missing(o, r.Key)
		}
	}

	return fs
}

// configLoads: each container's environment, as its manifest, ConfigMap and
// the Secret template give it, is a configuration its binary accepts.
func configLoads(s *objects, _ tree) []finding {
	var fs []finding

	for _, o := range workloads(s) {
		for _, c := range o.Spec.Template.Spec.Containers {
			cfg := componentConfig(o.component())
			if cfg == nil {
				continue
			}

			if err := config.Load(cfg, resolveEnv(s, o, c)); err != nil {
				fs = append(fs, o.finding("config", "%s: %v", c.Name, err))
			}
		}
	}

	return fs
}

// workerGrace: Kubernetes waits longer for a stopping worker than one
// delivery attempt may take, so a rollout or a scale-down cuts none short.
func workerGrace(s *objects, _ tree) []finding {
	var fs []finding

	for _, o := range s.byKind("apps", "Deployment") {
		if o.component() != "worker" {
			continue
		}

		fs = append(fs, graceFindings(s, o)...)
	}

	return fs
}

func graceFindings(s *objects, o *object) []finding {
	var cfg config.Worker
	if err := config.Load(&cfg, resolveEnv(s, o, o.container())); err != nil {
		return nil // configLoads reports it
	}

	grace := 30 * time.Second // Kubernetes' default
	if g := o.Spec.Template.Spec.TerminationGracePeriodSeconds; g != nil {
		grace = time.Duration(*g) * time.Second
	}

	if need := cfg.Timeout + shutdownSlack; grace <= need {
		return []finding{o.finding("grace", "terminationGracePeriodSeconds %v, want over %v "+
			"(CHIS_DELIVERY_TIMEOUT %v + %v)", grace, need, cfg.Timeout, shutdownSlack)}
	}

	return nil
}

// scaler: the ScaledObject scales the worker Deployment, within sane bounds,
// on the Redis keys the binaries use, with an authentication that exists.
func scaler(s *objects, _ tree) []finding {
	var fs []finding

	for _, o := range s.byKind("keda.sh", "ScaledObject") {
		target := s.find(o.file, "apps", "Deployment", o.Spec.ScaleTargetRef.Name)
		if target == nil {
			fs = append(fs, o.finding("scaler", "no Deployment %q", o.Spec.ScaleTargetRef.Name))
			continue
		}

		fs = append(fs, replicaBounds(o)...)
		fs = append(fs, redisTriggers(s, o, target)...)
	}

	return fs
}

func replicaBounds(o *object) []finding {
	lo, hi := o.Spec.MinReplicaCount, o.Spec.MaxReplicaCount
	if lo == nil || hi == nil || *lo < 0 || *lo > *hi {
		return []finding{o.finding("scaler", "want 0 <= minReplicaCount <= maxReplicaCount")}
	}

	return nil
}

func redisTriggers(s *objects, o, target *object) []finding {
	var cfg config.Worker
	_ = config.Load(&cfg, resolveEnv(s, target, target.container()))

	ready := cfg.Prefix + ":ready"
	keys := []string{ready, cfg.Prefix + ":scheduled"}

	var fs []finding
	onReady := false

	for _, trig := range o.Spec.Triggers {
		list := trig.Metadata["listName"]
		onReady = onReady || list == ready

		if trig.Type != "redis" || !slices.Contains(keys, list) {
			fs = append(fs, o.finding("scaler", "trigger %s on %q: want redis on one of %v",
				trig.Type, list, keys))
		}

		auth := trig.AuthenticationRef
		if auth == nil || s.find(o.file, "keda.sh", "TriggerAuthentication", auth.Name) == nil {
			fs = append(fs, o.finding("scaler", "trigger on %q has no TriggerAuthentication", list))
		}
	}

	if !onReady {
		fs = append(fs, o.finding("scaler", "no trigger on the ready list %q", ready))
	}

	return fs
}

// pingSources: the PingSource calls Tick at /Tick every 5 seconds.
func pingSources(s *objects, _ tree) []finding {
	var fs []finding

	for _, o := range s.byKind("sources.knative.dev", "PingSource") {
		sink := o.Spec.Sink
		if target := sinkService(s, o); target == nil || target.component() != "tick" {
			fs = append(fs, o.finding("ping", "sink is not the tick Knative Service"))
		}

		if sink.URI != "/Tick" {
			fs = append(fs, o.finding("ping", "sink uri %q, want /Tick", sink.URI))
		}

		if err := firesEvery(knativeParser, o.Spec.Schedule, 5*time.Second); err != nil {
			fs = append(fs, o.finding("ping", "%v", err))
		}
	}

	return fs
}

// sinkService is the Knative Service a PingSource's sink names, or nil.
func sinkService(s *objects, o *object) *object {
	ref := o.Spec.Sink.Ref
	if ref == nil || ref.APIVersion != servingGroup+"/v1" || ref.Kind != "Service" {
		return nil
	}

	return s.find(o.file, servingGroup, "Service", ref.Name)
}

// images: each Chis container runs its own component's image, one that
// `make images` builds (a Dockerfile target) and, on Knative, one the
// kustomization pins.
func images(s *objects, tr tree) []finding {
	var fs []finding
	pinned := kustomizeImages(tr)

	for _, o := range workloads(s) {
		comp := o.component()
		if componentConfig(comp) == nil {
			continue
		}

		for _, c := range o.Spec.Template.Spec.Containers {
			name, _, _ := strings.Cut(c.Image, ":")
			want := "dev.local/chis-" + comp

			switch {
			case name != want:
				fs = append(fs, o.finding("image", "image %s, want %s", c.Image, want))
			case !dockerTargets(tr)[comp]:
				fs = append(fs, o.finding("image", "the Dockerfile has no target %s", comp))
			case folder(o.file) == "knative" && !pinned[name]:
				fs = append(fs, o.finding("image", "kustomization.yaml does not pin %s", name))
			}
		}
	}

	return fs
}

// container is the first container of a workload's pod, or an empty one.
func (o *object) container() container {
	if cs := o.Spec.Template.Spec.Containers; len(cs) > 0 {
		return cs[0]
	}

	return container{}
}

// workloads are the objects that run Chis containers.
func workloads(s *objects) []*object {
	out := s.byKind(servingGroup, "Service")
	out = append(out, s.byKind("apps", "Deployment")...)

	return append(out, s.byKind("batch", "Job")...)
}

// resolveEnv is the environment a container starts with: what its manifest
// declares, and on Knative the PORT that Knative sets.
func resolveEnv(s *objects, o *object, c container) map[string]string {
	env := declaredEnv(s, o, c)

	if o.is(servingGroup, "Service") && len(c.Ports) > 0 {
		env["PORT"] = strconv.Itoa(c.Ports[0].ContainerPort)
	}

	return env
}

// declaredEnv is the environment a container's manifest gives it: ConfigMaps
// and Secrets taken whole, then its own variables. Secret values come from
// the template.
func declaredEnv(s *objects, o *object, c container) map[string]string {
	env := map[string]string{}

	for _, from := range c.EnvFrom {
		switch {
		case from.ConfigMapRef != nil:
			copyData(env, s.find(o.file, "", "ConfigMap", from.ConfigMapRef.Name))
		case from.SecretRef != nil:
			copyData(env, secretTemplate(s))
		}
	}

	for _, e := range c.Env {
		env[e.Name] = envValue(s, o, e)
	}

	return env
}

func envValue(s *objects, o *object, e envVar) string {
	switch {
	case e.ValueFrom == nil:
		return e.Value
	case e.ValueFrom.SecretKeyRef != nil:
		if secret := secretTemplate(s); secret != nil {
			return secret.StringData[e.ValueFrom.SecretKeyRef.Key]
		}
	case e.ValueFrom.ConfigMapKeyRef != nil:
		if cm := s.find(o.file, "", "ConfigMap", e.ValueFrom.ConfigMapKeyRef.Name); cm != nil {
			return cm.Data[e.ValueFrom.ConfigMapKeyRef.Key]
		}
	}

	return ""
}

func copyData(env map[string]string, o *object) {
	if o == nil {
		return
	}

	for k, v := range o.Data {
		env[k] = v
	}

	for k, v := range o.StringData {
		env[k] = v
	}
}

// secretTemplate is the Secret named chis, which every folder's objects use.
func secretTemplate(s *objects) *object {
	for _, o := range s.byKind("", "Secret") {
		if o.Metadata.Name == "chis" {
			return o
		}
	}

	return nil
}

// migrateConfig is what the migrate command reads (its own struct is in
// package main).
type migrateConfig struct {
	config.Logging
	config.Postgres
}

// componentConfig returns a fresh configuration of a component's binary, or
// nil for what is not a Chis binary.
func componentConfig(component string) any {
	switch component {
	case "api":
		return &config.API{}
	case "delivery":
		return &config.Delivery{}
	case "tick":
		return &config.Tick{}
	case "worker":
		return &config.Worker{}
	case "migrate":
		return &migrateConfig{}
	}

	return nil
}

func scaleAnnotation(o *object, key string) (int, error) {
	v, ok := o.Spec.Template.Metadata.Annotations[key]
	if !ok {
		return 0, nil
	}

	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s %q is not a whole number", key, v)
	}

	return n, nil
}

func (o *object) finding(check, format string, args ...any) finding {
	what := o.Kind + "/" + o.Metadata.Name + ": "
	return finding{o.file, check, what + fmt.Sprintf(format, args...)}
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}

	return nil
}
