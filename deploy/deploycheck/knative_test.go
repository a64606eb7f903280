package deploycheck

import (
	"testing"
)

// TestManifestsPass validates every manifest against the schemas of the pinned
// Knative, KEDA and Kubernetes releases, in strict mode, and against the
// project's rules.
func TestManifestsPass(t *testing.T) {
	t.Parallel()

	tr := readTree(t)
	if len(tr.manifests()) < 10 {
		t.Fatalf("found only %v; run from the package folder", tr.manifests())
	}

	if fs := checkManifests(newValidator(t), tr); len(fs) > 0 {
		t.Fatalf("%d problems:\n%s", len(fs), report(fs))
	}
}

// TestBrokenManifestsAreCaught breaks the shipped manifests on purpose, one
// way at a time, and expects the named check to catch each.
func TestBrokenManifestsAreCaught(t *testing.T) {
	t.Parallel()

	tr := readTree(t)
	v := newValidator(t)

	cases := []struct {
		name, file, old, new, check string
	}{
		{"misspelt field", "knative/api.yaml",
			"containerConcurrency: 100", "containerConcurency: 100", "schema"},
		{"number as text", "knative/api.yaml",
			"containerConcurrency: 100", `containerConcurrency: "100"`, "schema"},
		{"unknown metadata field", "knative/tick.yaml",
			"  labels:\n    app.kubernetes.io/part-of: chis\n",
			"  label:\n    app.kubernetes.io/part-of: chis\n", "schema"},
		{"probe field Knative lacks", "knative/delivery.yaml",
			"            grpc:\n", "            terminationGracePeriodSeconds: 5\n            grpc:\n",
			"schema"},
		{"unknown kind", "knative/worker.yaml", "kind: Deployment", "kind: Deploymnet", "schema"},
		{"KEDA field misspelt", "knative/worker-scaler.yaml",
			"minReplicaCount: 0", "minReplicas: 0", "schema"},
		{"PingSource field misspelt", "knative/pingsource.yaml",
			"  schedule:", "  scheduel:", "schema"},
		{"Job field misspelt", "knative/migrate-job.yaml",
			"backoffLimit: 6", "backOffLimit: 6", "schema"},
		{"gRPC port not h2c", "knative/delivery.yaml", "name: h2c", "name: http2", "port"},
		{"PORT set by hand", "knative/api.yaml",
			"            - name: FUNCTION_TARGET", "            - name: PORT\n" +
				"              value: \"8080\"\n            - name: FUNCTION_TARGET", "reserved-env"},
		{"reserved key in ConfigMap", "knative/config.yaml",
			"CHIS_LOG_FORMAT: json", "CHIS_LOG_FORMAT: json\n  K_SERVICE: api", "reserved-env"},
		{"min-scale above max-scale", "knative/delivery.yaml",
			`min-scale: "1"`, `min-scale: "9"`, "scale"},
		{"kept warm without a reason", "knative/tick.yaml", tickReason, "", "warm-reason"},
		{"tick scaled to zero", "knative/tick.yaml", `min-scale: "1"`, `min-scale: "0"`,
			"warm-reason"},
		{"tick with FUNCTION_TARGET", "knative/tick.yaml", "          env:\n",
			"          env:\n            - name: FUNCTION_TARGET\n              value: Tick\n",
			"function-target"},
		{"grace period too short", "knative/worker.yaml",
			"terminationGracePeriodSeconds: 45", "terminationGracePeriodSeconds: 15", "grace"},
		{"delivery timeout past the grace period", "knative/config.yaml",
			"CHIS_DELIVERY_TIMEOUT: 10s", "CHIS_DELIVERY_TIMEOUT: 40s", "grace"},
		{"every 5 minutes, not seconds", "knative/pingsource.yaml",
			`"*/5 * * * * *"`, `"*/5 * * * *"`, "ping"},
		{"sink path", "knative/pingsource.yaml", "uri: /Tick", "uri: /tick", "ping"},
		{"scaler on the wrong list", "knative/worker-scaler.yaml",
			`listName: "chis:ready"`, `listName: "chis:queue"`, "scaler"},
		{"bad duration", "knative/config.yaml", "CHIS_LEASE_MARGIN: 20s",
			"CHIS_LEASE_MARGIN: 20 seconds", "config"},
		{"key missing from the Secret template", "knative/secret.template.yaml",
			"  JWT_SECRET:", "  JWT_SECRETS:", "secret"},
		{"bind to loopback", "knative/config.yaml", "CHIS_LOG_LEVEL: info",
			"CHIS_LOG_LEVEL: info\n  HOST: 127.0.0.1", "host"},
		{"image not pinned", "knative/kustomization.yaml",
			"  - name: dev.local/chis-tick\n", "  - name: dev.local/chis-tock\n", "image"},
		{"manifest left out", "knative/kustomization.yaml", "  - worker.yaml\n", "", "kustomize"},
		{"wrong delivery address", "knative/config.yaml",
			"delivery.chis.svc.cluster.local:80", "delivery:50051", "delivery-addr"},
		{"OpenFaaS delivery not gRPC-probed", "openfaas/support.yaml",
			"            grpc:\n              port: 50051\n",
			"            tcpSocket:\n              port: 50051\n", "probes"},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()

			fs := checkManifests(v, tr.with(t, c.file, c.old, c.new))
			if !caught(fs, c.check) {
				t.Fatalf("check %q did not catch it; found:\n%s", c.check, report(fs))
			}

			t.Logf("caught:\n%s", report(fs))
		})
	}
}

// tickReason is the comment above Tick's min-scale.
const tickReason = "        # min-scale 1, said openly: a service pinged every 5 s never stays\n" +
	"        # idle long enough to scale to zero, so allowing it would only add a\n" +
	"        # cold start whenever the autoscaler's window happens to close.\n"

func caught(fs []finding, check string) bool {
	for _, f := range fs {
		if f.check == check {
			return true
		}
	}

	return false
}
