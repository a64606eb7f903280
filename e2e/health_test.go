package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// get fetches a URL of any component and decodes its JSON answer.
func getJSON(t *testing.T, url string) (int, map[string]any) {
	t.Helper()

	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer func() { _ = resp.Body.Close() }()

	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}

	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("GET %s: %s is not JSON: %v", url, body, err)
	}

	return resp.StatusCode, out
}

// Every component is alive and, with Postgres, Redis and Delivery up, ready.
func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()

	for _, c := range []string{"api", "delivery", "worker", "tick"} {
		status, body := getJSON(t, chis.URL(c)+"/health")
		if status != 200 || body["status"] != "ok" {
			t.Errorf("%s /health: %d %v", c, status, body)
		}

		status, body = getJSON(t, chis.URL(c)+"/ready")
		if status != 200 || body["status"] != "ready" {
			t.Errorf("%s /ready: %d %v", c, status, body)
		}
	}
}

// Unknown routes and wrong methods answer JSON errors, not HTML or 500s.
func TestUnknownRoutesAnswerJSON(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)

	for _, r := range []struct {
		method, path string
		hdr          map[string]string
		want         int
	}{
		{"GET", "/api/nothing-here", tn.bearer(), 404},
		{"GET", "/auth/nothing-here", nil, 404},
		{"GET", "/webhook/nothing-here", nil, 404},
		{"GET", "/auth/register", nil, 405},
		{"PUT", "/auth/login", nil, 405},
		{"DELETE", "/api/orgs", tn.bearer(), 405},
		{"POST", "/health", nil, 405},
		{"GET", "/api/nothing-here", nil, 401},
	} {
		status, body := call(t, r.method, r.path, r.hdr, "")
		wantError(t, status, body, r.want)
	}
}
