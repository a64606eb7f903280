package deploycheck

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// deployables are the commands under functions/, one image each.
var deployables = []string{"api", "delivery", "tick", "worker", "migrate"}

// pinnedImage is an image reference with an exact version tag (or a digest).
var pinnedImage = regexp.MustCompile(`^[a-z0-9./-]+` +
	`(:[0-9]+\.[0-9]+\.[0-9]+[a-z0-9.-]*|@sha256:[0-9a-f]{64})$`)

// TestDockerfile checks what `make images` relies on: a target per
// deployable, base images pinned to a version, an unprivileged user, the
// version stamped into the binaries, the dashboard in the API image, and a
// build context that keeps the sources the build reads.
func TestDockerfile(t *testing.T) {
	t.Parallel()

	tr := readTree(t)
	text := string(tr["Dockerfile"])
	targets := dockerTargets(tr)

	for _, d := range deployables {
		if !targets[d] {
			t.Errorf("no target %s", d)
		}
	}

	for _, img := range baseImages(tr["Dockerfile"]) {
		if !pinnedImage.MatchString(img) {
			t.Errorf("base image %s is not pinned to a version", img)
		}
	}

	if !regexp.MustCompile(`(?m)^USER [1-9][0-9]*:[1-9][0-9]*$`).MatchString(text) {
		t.Error("no numeric non-root USER: runAsNonRoot cannot check a name")
	}

	if !strings.Contains(text, "-X github.com/chis-dev/chis/shared/boot.Version=") {
		t.Error("the build does not stamp boot.Version")
	}

	if !targets["dashboard"] || !strings.Contains(text, "ENV CHIS_DASHBOARD_DIR=") {
		t.Error("the API image does not carry the built dashboard")
	}

	kept := dockerKept(t)
	needed := []string{"go.mod", "go.sum", "functions", "shared", "proto", "migrations", "dashboard"}
	for _, need := range needed {
		if !kept[need] {
			t.Errorf(".dockerignore leaves out %s, which the build needs", need)
		}
	}
}

// baseImages returns the default of every ARG that names an image, and every
// FROM that names one directly (not a stage or an ARG).
func baseImages(dockerfile []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(dockerfile))

	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "ARG" && strings.HasSuffix(strings.Split(f[1], "=")[0], "_IMAGE"):
			_, img, _ := strings.Cut(f[1], "=")
			out = append(out, img)
		case len(f) >= 2 && f[0] == "FROM":
			if img := fromImage(f[1:]); strings.Contains(img, ":") && !strings.Contains(img, "$") {
				out = append(out, img)
			}
		}
	}

	return out
}

// fromImage is the image a FROM line names, past its --flags.
func fromImage(args []string) string {
	for _, a := range args {
		if !strings.HasPrefix(a, "--") {
			return a
		}
	}

	return ""
}

// dockerKept reads .dockerignore, which leaves everything out ("*") and lets
// paths back in with "!path", and returns the paths let back in.
func dockerKept(t *testing.T) map[string]bool {
	t.Helper()

	data, err := os.ReadFile(filepath.Join(repoRoot, ".dockerignore"))
	if err != nil {
		t.Fatalf("read .dockerignore: %v", err)
	}

	var lines []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			lines = append(lines, line)
		}
	}

	if len(lines) == 0 || lines[0] != "*" {
		t.Fatal(".dockerignore must start by leaving everything out (*)")
	}

	kept := map[string]bool{}
	for _, line := range lines[1:] {
		if p, ok := strings.CutPrefix(line, "!"); ok {
			kept[strings.Trim(p, "/")] = true
		}
	}

	return kept
}
