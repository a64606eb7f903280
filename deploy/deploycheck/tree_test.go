package deploycheck

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// repoRoot is the repository root as seen from this package's folder.
const repoRoot = "../.."

// tree holds the deployment files under check, by slash path from the
// repository root. Tests that break a file on purpose change a copy.
type tree map[string][]byte

// finding is one problem a check found in a file. check names the check, so
// that a test can tell which one caught a broken file.
type finding struct {
	file   string
	check  string
	detail string
}

func (f finding) String() string {
	return fmt.Sprintf("%s: [%s] %s", f.file, f.check, f.detail)
}

// readTree reads every file the checks look at.
func readTree(t *testing.T) tree {
	t.Helper()

	patterns := []string{
		"knative/*.yaml", "knative/*/*.yaml", "openfaas/*.yml", "openfaas/*.yaml",
		"compose.yaml", "Dockerfile",
	}

	tr := tree{}
	for _, p := range patterns {
		paths, err := filepath.Glob(filepath.Join(repoRoot, p))
		if err != nil {
			t.Fatalf("glob %s: %v", p, err)
		}

		for _, path := range paths {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read %s: %v", path, err)
			}

			rel, _ := filepath.Rel(repoRoot, path)
			tr[filepath.ToSlash(rel)] = data
		}
	}

	return tr
}

// with returns a copy of tr in which the first old in file is replaced by
// new; it fails the test when file does not contain old, so that a broken
// case cannot pass by breaking nothing.
func (tr tree) with(t *testing.T, file, old, new string) tree {
	t.Helper()

	data, ok := tr[file]
	if !ok || !strings.Contains(string(data), old) {
		t.Fatalf("%s does not contain %q", file, old)
	}

	out := maps.Clone(tr)
	out[file] = []byte(strings.Replace(string(data), old, new, 1))

	return out
}

// manifests lists the files that hold Kubernetes objects, sorted.
func (tr tree) manifests() []string {
	var out []string

	for path := range tr {
		dir, name := filepath.Split(path)
		isManifest := dir == "knative/" && name != "kustomization.yaml" ||
			path == "openfaas/support.yaml"

		if isManifest {
			out = append(out, path)
		}
	}

	slices.Sort(out)

	return out
}

// report lists findings, one a line, for a test failure.
func report(fs []finding) string {
	lines := make([]string, len(fs))
	for i, f := range fs {
		lines[i] = "  " + f.String()
	}

	return strings.Join(lines, "\n")
}
