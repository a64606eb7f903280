package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestDashboardFlow drives the built dashboard in Debian's Chromium against
// the stack TestMain started: a new user registers, creates an API key,
// sends a webhook from the playground to a receiver that answers 200 and
// sees it delivered in the log with its attempts, sends one to a receiver
// that always answers 500, retries it by hand once it has failed, rotates
// the signing secret and invites a member. dashboard/e2e/flow.mjs does the
// clicking and saves a screenshot of every page.
//
// It needs node and Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
// Without them it is skipped, except under CI, where it fails. It builds
// dashboard/dist (and installs dashboard/node_modules) when missing, but the
// API only serves the dashboard when TestMain sets CHIS_DASHBOARD_DIR.
func TestDashboardFlow(t *testing.T) {
	t.Parallel()

	chromium := envOr("CHROMIUM_PATH", "/usr/bin/chromium")
	node, err := exec.LookPath("node")
	if err != nil || !exists(chromium) {
		msg := "the dashboard test needs node and " + chromium + " (apt-get install chromium)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}

		t.Skip(msg)
	}

	dir, err := filepath.Abs("../dashboard")
	if err != nil {
		t.Fatal(err)
	}

	buildDashboard(t, dir)

	shots := os.Getenv("CHIS_SCREENSHOT_DIR")
	if shots == "" {
		// Kept after the test on purpose: the screenshots are for people.
		if shots, err = os.MkdirTemp("", "chis-dashboard-shots-"); err != nil {
			t.Fatal(err)
		}
	}

	ok := newReceiver(t, always(200))
	failing := newReceiver(t, always(500))

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	cmd := exec.CommandContext(ctx, node, filepath.Join("e2e", "flow.mjs"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"BASE_URL="+chis.URL("api"),
		"RECEIVER_URL="+ok.URL+"/hook",
		"FAILING_URL="+failing.URL+"/hook",
		"SCREENSHOT_DIR="+shots,
		"CHROMIUM_PATH="+chromium,
	)

	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("dashboard flow failed (%v); screenshots in %s:\n%s", err, shots, out)
	}

	t.Logf("dashboard flow passed; screenshots in %s\n%s", shots, out)

	if n := len(ok.deliveries()); n != 1 {
		t.Errorf("the receiver that answers 200 got %d deliveries, want 1", n)
	}

	// Five scheduled attempts, then the one asked for with "Retry now".
	if n := len(failing.deliveries()); n < 6 {
		t.Errorf("the failing receiver got %d deliveries, want at least 6", n)
	}
}

// buildDashboard installs the dashboard's packages and builds it, each only
// when its output is missing, so that `go test` works in a fresh clone.
func buildDashboard(t *testing.T, dir string) {
	t.Helper()

	steps := []struct {
		done string
		args []string
	}{
		{"node_modules/playwright-core/package.json", []string{"ci", "--no-audit", "--no-fund"}},
		{"dist/index.html", []string{"run", "build"}},
	}

	for _, s := range steps {
		if exists(filepath.Join(dir, s.done)) {
			continue
		}

		cmd := exec.Command("npm", s.args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm %v in %s: %v\n%s", s.args, dir, err, out)
		}
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}

	return fallback
}
