package deploycheck

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"path"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/chis-dev/chis/shared/config"
)

const kustomizationFile = "knative/kustomization.yaml"

// kustomizationSpec is the part of knative/kustomization.yaml the rules read.
type kustomizationSpec struct {
	Namespace string   `json:"namespace"`
	Resources []string `json:"resources"`
	Images    []struct {
		Name string `json:"name"`
	} `json:"images"`
}

func readKustomization(tr tree) (kustomizationSpec, error) {
	var k kustomizationSpec
	if err := yaml.Unmarshal(tr[kustomizationFile], &k); err != nil {
		return k, fmt.Errorf("parse kustomization: %w", err)
	}

	return k, nil
}

// kustomization: `kubectl apply -k knative/` applies every manifest of the
// folder except the Secret template, and nothing that does not exist.
func kustomization(_ *objects, tr tree) []finding {
	k, err := readKustomization(tr)
	if err != nil {
		return []finding{{kustomizationFile, "kustomize", err.Error()}}
	}

	var fs []finding
	listed := map[string]bool{}

	for _, r := range k.Resources {
		p := path.Join("knative", r)
		listed[p] = true

		if _, ok := tr[p]; !ok {
			fs = append(fs, finding{kustomizationFile, "kustomize", "no file " + r})
		}
	}

	for _, m := range tr.manifests() {
		if strings.HasPrefix(m, "knative/") && m != secretTemplateFile && !listed[m] {
			fs = append(fs, finding{kustomizationFile, "kustomize", m + " is not a resource"})
		}
	}

	return fs
}

const secretTemplateFile = "knative/secret.template.yaml"

// deliveryAddress: the API dials Delivery at the name Knative routes for it,
// <service>.<namespace>.svc.cluster.local, on port 80.
func deliveryAddress(s *objects, tr tree) []finding {
	k, err := readKustomization(tr)
	if err != nil {
		return nil // kustomization reports it
	}

	var fs []finding

	for _, o := range s.byKind(servingGroup, "Service") {
		if o.component() != "api" {
			continue
		}

		var cfg config.API
		if err := config.Load(&cfg, resolveEnv(s, o, o.container())); err != nil {
			continue // configLoads reports it
		}

		want := net.JoinHostPort(deliveryName(s)+"."+k.Namespace+".svc.cluster.local", "80")
		if cfg.DeliveryAddr != want {
			fs = append(fs, o.finding("delivery-addr", "DELIVERY_GRPC_ADDR %s, want %s",
				cfg.DeliveryAddr, want))
		}
	}

	return fs
}

// deliveryName is the name of the Knative Service that runs Delivery.
func deliveryName(s *objects) string {
	for _, o := range s.byKind(servingGroup, "Service") {
		if o.component() == "delivery" {
			return o.Metadata.Name
		}
	}

	return "(none)"
}

// kustomizeImages is the set of image names the kustomization pins.
func kustomizeImages(tr tree) map[string]bool {
	k, _ := readKustomization(tr)
	out := map[string]bool{}

	for _, img := range k.Images {
		out[img.Name] = true
	}

	return out
}

// dockerTargets is the set of stage names in the Dockerfile ("FROM x AS name").
func dockerTargets(tr tree) map[string]bool {
	out := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(tr["Dockerfile"]))

	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 4 && strings.EqualFold(f[0], "FROM") && strings.EqualFold(f[len(f)-2], "AS") {
			out[f[len(f)-1]] = true
		}
	}

	return out
}
