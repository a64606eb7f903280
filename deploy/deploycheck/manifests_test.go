package deploycheck

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/yannh/kubeconform/pkg/validator"
	"sigs.k8s.io/yaml"
)

// objects is every Kubernetes object in the manifests, with lookups the
// rules share.
type objects struct {
	all []*object
}

// byKind returns the objects of one kind in one API group.
func (s *objects) byKind(group, kind string) []*object {
	var out []*object

	for _, o := range s.all {
		if o.is(group, kind) {
			out = append(out, o)
		}
	}

	return out
}

// find returns the object of that kind and name in file's folder, or nil.
// Knative and OpenFaaS objects live in different namespaces and never refer to
// each other, so a lookup stays within one folder.
func (s *objects) find(near, group, kind, name string) *object {
	for _, o := range s.byKind(group, kind) {
		if o.Metadata.Name == name && folder(o.file) == folder(near) {
			return o
		}
	}

	return nil
}

func folder(path string) string {
	dir, _, _ := strings.Cut(path, "/")
	return dir
}

// checkManifests runs every check on the Kubernetes manifests in tr: the
// schemas first, then the project's rules.
func checkManifests(v validator.Validator, tr tree) []finding {
	fs := schemaFindings(v, tr)

	s, parseFindings := parseManifests(tr)
	fs = append(fs, parseFindings...)

	for _, rule := range rules {
		fs = append(fs, rule(s, tr)...)
	}

	return fs
}

// schemaFindings validates every manifest, and the PingSource the minute
// overlay makes, against the generated schemas.
func schemaFindings(v validator.Validator, tr tree) []finding {
	var fs []finding

	for _, file := range tr.manifests() {
		fs = append(fs, validate(v, file, tr[file])...)
	}

	overlaid, err := minutePingSource(tr)
	if err != nil {
		return append(fs, finding{minutePatch, "overlay", err.Error()})
	}

	return append(fs, validate(v, minutePatch, overlaid)...)
}

func validate(v validator.Validator, file string, data []byte) []finding {
	var fs []finding

	for _, res := range v.Validate(file, io.NopCloser(bytes.NewReader(data))) {
		if res.Status != validator.Invalid && res.Status != validator.Error {
			continue
		}

		// The error names the schema file first; the causes follow it.
		detail := fmt.Sprint(res.Err)
		if _, causes, ok := strings.Cut(detail, "#' "); ok {
			detail = causes
		}

		name := ""
		if sig, err := res.Resource.Signature(); err == nil {
			name = sig.Kind + "/" + sig.Name + " "
		}

		fs = append(fs, finding{file, "schema", name + detail})
	}

	return fs
}

// minutePatch is the overlay that swaps in the minute-only schedule.
const minutePatch = "knative/minute-ping/schedule.yaml"

// minutePingSource returns the PingSource of knative/ with the overlay's
// schedule, as `kubectl apply -k knative/minute-ping/` would send it.
func minutePingSource(tr tree) ([]byte, error) {
	var base, patch map[string]any

	if err := yaml.Unmarshal(tr["knative/pingsource.yaml"], &base); err != nil {
		return nil, fmt.Errorf("parse pingsource: %w", err)
	}

	if err := yaml.Unmarshal(tr[minutePatch], &patch); err != nil {
		return nil, fmt.Errorf("parse patch: %w", err)
	}

	baseSpec, _ := base["spec"].(map[string]any)
	patchSpec, _ := patch["spec"].(map[string]any)
	if baseSpec == nil || patchSpec == nil {
		return nil, fmt.Errorf("pingsource or patch has no spec")
	}

	baseSpec["schedule"] = patchSpec["schedule"]

	return yaml.Marshal(base)
}

// parseManifests reads the objects of every manifest.
func parseManifests(tr tree) (*objects, []finding) {
	s := &objects{}
	var fs []finding

	for _, file := range tr.manifests() {
		objs, err := parseObjects(file, tr[file])
		if err != nil {
			fs = append(fs, finding{file, "parse", err.Error()})
			continue
		}

		s.all = append(s.all, objs...)
	}

	return s, fs
}
