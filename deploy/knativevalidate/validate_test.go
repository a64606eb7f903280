package knativevalidate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	sourcesv1 "knative.dev/eventing/pkg/apis/sources/v1"
	"knative.dev/pkg/apis"
	servingv1 "knative.dev/serving/pkg/apis/serving/v1"
	"sigs.k8s.io/yaml"
)

// knativeDir is the manifests' folder, from this package's folder.
const knativeDir = "../../knative"

// admitted is what a webhook checks: an object being created, given the
// defaults first. It returns what Knative would refuse, or nil.
type admitted interface {
	SetDefaults(ctx context.Context)
	Validate(ctx context.Context) *apis.FieldError
}

func admit(obj admitted) *apis.FieldError {
	ctx := apis.WithinCreate(context.Background())
	obj.SetDefaults(ctx)

	return obj.Validate(ctx)
}

// TestKnativeAdmitsManifests passes each Knative object of knative/ through
// Knative's own defaulting and validation.
func TestKnativeAdmitsManifests(t *testing.T) {
	t.Parallel()

	for _, name := range []string{"api.yaml", "delivery.yaml", "tick.yaml"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()

			if err := admit(service(t, read(t, name))); err != nil {
				t.Fatalf("Knative refuses %s: %v", name, err)
			}
		})
	}

	t.Run("pingsource.yaml", func(t *testing.T) {
		t.Parallel()

		if err := admit(pingSource(t, read(t, "pingsource.yaml"))); err != nil {
			t.Fatalf("Knative refuses pingsource.yaml: %v", err)
		}
	})
}

// TestKnativeRefusesBrokenManifests shows that these checks catch what the
// JSON schemas let through.
func TestKnativeRefusesBrokenManifests(t *testing.T) {
	t.Parallel()

	cases := []struct{ name, file, old, new string }{
		{"port name", "delivery.yaml", "name: h2c", "name: http2"},
		{"reserved variable", "api.yaml", "- name: FUNCTION_TARGET", "- name: K_SERVICE"},
		{"min above max", "tick.yaml", `min-scale: "1"`, `min-scale: "3"`},
		{"schedule", "pingsource.yaml", `"*/5 * * * * *"`, `"*/5 * * * * * *"`},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()

			data := read(t, c.file)
			if !strings.Contains(string(data), c.old) {
				t.Fatalf("%s does not contain %q", c.file, c.old)
			}

			data = []byte(strings.Replace(string(data), c.old, c.new, 1))

			var obj admitted
			if c.file == "pingsource.yaml" {
				obj = pingSource(t, data)
			} else {
				obj = service(t, data)
			}

			if err := admit(obj); err == nil {
				t.Fatalf("Knative admits %s with %q", c.file, c.new)
			} else {
				t.Logf("refused: %v", err)
			}
		})
	}
}

func read(t *testing.T, name string) []byte {
	t.Helper()

	data, err := os.ReadFile(filepath.Join(knativeDir, name))
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}

	return data
}

func service(t *testing.T, data []byte) *servingv1.Service {
	t.Helper()

	var s servingv1.Service
	if err := yaml.UnmarshalStrict(data, &s); err != nil {
		t.Fatalf("decode Service: %v", err)
	}

	return &s
}

func pingSource(t *testing.T, data []byte) *sourcesv1.PingSource {
	t.Helper()

	var p sourcesv1.PingSource
	if err := yaml.UnmarshalStrict(data, &p); err != nil {
		t.Fatalf("decode PingSource: %v", err)
	}

	return &p
}
