package e2e

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// P15: with debug logging on, neither the API key, the URL's password, path
// secret or query token, nor a JWT appears in any log line, metric or stored
// error text, even when every attempt fails.
func TestSecretsStayOutOfLogsMetricsAndErrors(t *testing.T) {
	t.Parallel()

	tn := newTenant(t)
	url := "https://user:PLACEHOLDER_PASS@hooks.example.invalid/T0/PLACEHOLDER_PATH" +
		"?token=PLACEHOLDER_QUERY"

	id := tn.send(t, url, `{"n":1}`)

	badJWT := tn.token[:len(tn.token)-4] + "AAAA"
	if status, _ := call(t, "GET", "/api/orgs",
		map[string]string{"Authorization": "Bearer " + badJWT}, ""); status != 401 {
		t.Fatalf("bad JWT: %d, want 401", status)
	}

	d := tn.waitFinal(t, id, 40*time.Second)
	if d.Status != "failed" {
		t.Fatalf("status %s, want failed", d.Status)
	}

	secrets := []string{"PLACEHOLDER_PASS", "PLACEHOLDER_PATH", "PLACEHOLDER_QUERY",
		tn.apiKey, tn.token, badJWT, tn.secret}

	// The attempts were logged (by host): the scan below reads real lines.
	if all := logs.String(); !strings.Contains(all, id) ||
		!strings.Contains(all, "hooks.example.invalid") {
		t.Fatal("the worker's attempt lines are missing from the logs")
	}

	places := map[string]string{"logs": logs.String(), "stored errors": storedErrors(t, id)}
	for _, c := range []string{"api", "delivery", "worker", "tick"} {
		places[c+" metrics"] = scrape(t, chis.URL(c)+"/metrics")
	}

	for where, text := range places {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s contain the secret %.16s…", where, s)
			}
		}
	}
}

func storedErrors(t *testing.T, id string) string {
	t.Helper()

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()

	var text string
	err = conn.QueryRow(ctx, `
		SELECT coalesce(string_agg(error_message || ' ' || response_body, ' '), '')
		FROM delivery_attempts WHERE message_id = $1`, id).Scan(&text)
	if err != nil {
		t.Fatal(err)
	}

	if text == "" {
		t.Fatal("no attempt was recorded")
	}

	return text
}

func scrape(t *testing.T, url string) string {
	t.Helper()

	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()

	b, _ := io.ReadAll(resp.Body)

	return string(b)
}
