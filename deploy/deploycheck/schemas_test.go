package deploycheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/yannh/kubeconform/pkg/validator"
	"sigs.k8s.io/yaml"
)

// module names files inside one pinned Go module.
type module struct {
	path    string
	version string
	files   []string
}

// crdModules are the releases whose CRDs the manifests are written for.
// Knative's Go module v0.N is Knative release 1.(N-27): v0.50.0 is Knative
// 1.23, whose Eventing takes the seconds field (added in 1.13). KEDA v2.21.0 is
// the newest release that builds with Go 1.26.
var crdModules = []module{
	{"knative.dev/serving", "v0.50.0", []string{"config/core/300-resources/service.yaml"}},
	{"knative.dev/eventing", "v0.50.0", []string{"config/core/resources/pingsource.yaml"}},
	{"github.com/kedacore/keda/v2", "v2.21.0", []string{
		"config/crd/bases/keda.sh_scaledobjects.yaml",
		"config/crd/bases/keda.sh_triggerauthentications.yaml",
	}},
}

// kubeModule holds the OpenAPI v3 documents that a Kubernetes release
// publishes for its built-in kinds (Namespace, ConfigMap, Secret, Service,
// Deployment, Job, ...).
var kubeModule = module{"k8s.io/kubernetes", "v1.37.2", []string{
	"api/openapi-spec/v3/api__v1_openapi.json",
	"api/openapi-spec/v3/apis__apps__v1_openapi.json",
	"api/openapi-spec/v3/apis__batch__v1_openapi.json",
}}

// objectMeta is the schema every object's metadata must satisfy. CRDs leave
// metadata open (the API server checks it, not the CRD), so it is filled in.
const objectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"

// schemaLocation is where kubeconform looks for a kind's schema inside the
// folder the schemas are written to.
const schemaLocation = "{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"

var (
	schemasOnce sync.Once
	schemasDir  string
	schemasErr  error
)

// TestMain removes the generated schemas once every test has run.
func TestMain(m *testing.M) {
	code := m.Run()

	if schemasDir != "" {
		_ = os.RemoveAll(schemasDir)
	}

	os.Exit(code)
}

// newValidator returns a strict kubeconform validator over the generated
// schemas, which are made once per test process.
func newValidator(t *testing.T) validator.Validator {
	t.Helper()

	schemasOnce.Do(func() {
		schemasDir, schemasErr = os.MkdirTemp("", "chis-schemas-")
		if schemasErr == nil {
			schemasErr = buildSchemas(schemasDir)
		}
	})

	if schemasErr != nil {
		t.Fatalf("build schemas: %v", schemasErr)
	}

	v, err := validator.New([]string{filepath.Join(schemasDir, schemaLocation)},
		validator.Opts{Strict: true})
	if err != nil {
		t.Fatalf("new validator: %v", err)
	}

	return v
}

// buildSchemas fetches the pinned modules and writes one JSON schema per kind
// under dir.
func buildSchemas(dir string) error {
	dirs, err := download(append([]module{kubeModule}, crdModules...))
	if err != nil {
		return err
	}

	defs, err := kubeDefinitions(dirs[kubeModule.path], kubeModule.files)
	if err != nil {
		return err
	}

	if err := writeKubeSchemas(dir, defs); err != nil {
		return err
	}

	for _, m := range crdModules {
		for _, f := range m.files {
			if err := writeCRDSchemas(dir, filepath.Join(dirs[m.path], f), defs); err != nil {
				return err
			}
		}
	}

	return nil
}

// download fetches modules into the module cache and returns the folder of
// each. It runs outside any module so that no go.mod or go.sum changes.
func download(mods []module) (map[string]string, error) {
	args := []string{"mod", "download", "-json"}
	for _, m := range mods {
		args = append(args, m.path+"@"+m.version)
	}

	cmd := exec.Command("go", args...)
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")

	var stderr bytes.Buffer
	cmd.Stderr = &stderr

	out, runErr := cmd.Output()
	dirs, err := moduleDirs(out)
	if err != nil {
		return nil, err
	}

	if runErr != nil && len(dirs) < len(mods) {
		return nil, fmt.Errorf("go mod download: %w: %s", runErr, stderr.String())
	}

	return dirs, nil
}

// moduleDirs reads the JSON objects `go mod download -json` prints.
func moduleDirs(out []byte) (map[string]string, error) {
	dirs := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(out))

	for {
		var m struct{ Path, Version, Dir, Error string }
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			return dirs, nil
		} else if err != nil {
			return nil, fmt.Errorf("read go mod download output: %w", err)
		}

		if m.Error != "" {
			return nil, fmt.Errorf("download %s@%s: %s", m.Path, m.Version, m.Error)
		}

		dirs[m.Path] = m.Dir
	}
}

// kubeDefinitions reads the named schemas of the Kubernetes OpenAPI
// documents, with references rewritten to point at "#/definitions/".
func kubeDefinitions(dir string, files []string) (map[string]any, error) {
	defs := map[string]any{}

	for _, f := range files {
		raw, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return nil, fmt.Errorf("read openapi: %w", err)
		}

		raw = bytes.ReplaceAll(raw, []byte(`"#/components/schemas/`), []byte(`"#/definitions/`))

		var doc struct {
			Components struct {
				Schemas map[string]any `json:"schemas"`
			} `json:"components"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			return nil, fmt.Errorf("parse %s: %w", f, err)
		}

		for name, s := range doc.Components.Schemas {
			strict(s)
			defs[name] = s
		}
	}

	return defs, nil
}

// writeKubeSchemas writes a schema for every kind the OpenAPI documents name
// with x-kubernetes-group-version-kind, carrying only the definitions it
// reaches.
func writeKubeSchemas(dir string, defs map[string]any) error {
	for name, d := range defs {
		s, _ := d.(map[string]any)
		gvks, _ := s["x-kubernetes-group-version-kind"].([]any)

		for _, g := range gvks {
			gvk, _ := g.(map[string]any)
			group, _ := gvk["group"].(string)
			version, _ := gvk["version"].(string)
			kind, _ := gvk["kind"].(string)

			doc := withDefinitions(s, defs, reachable(name, defs))
			if err := writeSchema(dir, group, version, kind, doc); err != nil {
				return err
			}
		}
	}

	return nil
}

// writeCRDSchemas writes the schema of every version of the CRD in file, with
// metadata held to Kubernetes' ObjectMeta.
func writeCRDSchemas(dir, file string, defs map[string]any) error {
	raw, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("read crd: %w", err)
	}

	var crd struct {
		Spec struct {
			Group    string
			Names    struct{ Kind string }
			Versions []struct {
				Name   string
				Schema struct {
					OpenAPIV3Schema map[string]any `json:"openAPIV3Schema"`
				}
			}
		}
	}
	if err := yaml.Unmarshal(raw, &crd); err != nil {
		return fmt.Errorf("parse crd %s: %w", filepath.Base(file), err)
	}

	for _, v := range crd.Spec.Versions {
		s := v.Schema.OpenAPIV3Schema
		rootFields(s)
		strict(s)

		doc := withDefinitions(s, defs, reachable(objectMeta, defs))
		if err := writeSchema(dir, crd.Spec.Group, v.Name, crd.Spec.Names.Kind, doc); err != nil {
			return err
		}
	}

	return nil
}

// rootFields lets every object carry apiVersion and kind, which the API
// server accepts whether a CRD lists them or not, and holds its metadata to
// Kubernetes' ObjectMeta.
func rootFields(s map[string]any) {
	props, ok := s["properties"].(map[string]any)
	if !ok {
		props = map[string]any{}
		s["properties"] = props
	}

	for _, key := range []string{"apiVersion", "kind"} {
		if _, ok := props[key]; !ok {
			props[key] = map[string]any{"type": "string"}
		}
	}

	props["metadata"] = map[string]any{"$ref": "#/definitions/" + objectMeta}
}

// withDefinitions returns a copy of root that carries the named definitions.
func withDefinitions(root, defs map[string]any, names []string) map[string]any {
	doc := make(map[string]any, len(root)+1)
	for k, v := range root {
		doc[k] = v
	}

	carried := make(map[string]any, len(names))
	for _, n := range names {
		carried[n] = defs[n]
	}

	doc["definitions"] = carried

	return doc
}

// writeSchema writes doc where schemaLocation finds it. The core group is
// named "v1" there, as kubeconform names it after apiVersion's first part.
func writeSchema(dir, group, version, kind string, doc map[string]any) error {
	if group == "" {
		group = version
	}

	path := filepath.Join(dir, group, strings.ToLower(kind)+"_"+version+".json")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write schema: %w", err)
	}

	raw, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("encode schema %s: %w", kind, err)
	}

	if err := os.WriteFile(path, raw, 0o644); err != nil {
		return fmt.Errorf("write schema: %w", err)
	}

	return nil
}
