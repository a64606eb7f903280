package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/chis-dev/chis/shared/testenv"
)

// apiError is the JSON body of every error answer.
type apiError struct {
	Code    string
	Message string
	Details []struct{ Field, Message string }
}

// fields lists the fields an error names, sorted.
func (e apiError) fields() []string {
	out := make([]string, 0, len(e.Details))
	for _, d := range e.Details {
		out = append(out, d.Field)
	}

	slices.Sort(out)

	return out
}

// wantError checks that an answer is the error status, in the error shape,
// naming exactly the given fields (none for errors other than 422).
func wantError(t *testing.T, status int, body []byte, want int, fields ...string) apiError {
	t.Helper()

	if status != want {
		t.Fatalf("status %d, want %d: %s", status, want, body)
	}

	var e apiError
	if err := json.Unmarshal(body, &e); err != nil || e.Code == "" || e.Message == "" {
		t.Fatalf("error body %q is not {code, message}: %v", body, err)
	}

	slices.Sort(fields)
	if got := e.fields(); !slices.Equal(got, fields) {
		t.Fatalf("error names fields %v, want %v: %s", got, fields, body)
	}

	return e
}

// tryCall is call for goroutines other than the test's: it reports a
// failed request as status 0.
func tryCall(method, path string, hdr map[string]string, body string) (int, []byte) {
	req, err := http.NewRequest(method, chis.URL("api")+path, strings.NewReader(body))
	if err != nil {
		return 0, nil
	}

	for k, v := range hdr {
		req.Header.Set(k, v)
	}

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil
	}
	defer func() { _ = resp.Body.Close() }()

	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil
	}

	return resp.StatusCode, b
}

// rawDo makes a request without a body and returns the answer, its body
// already read and closed, for tests that look at headers.
func rawDo(t *testing.T, method, path string, hdr map[string]string) *http.Response {
	t.Helper()

	req, err := http.NewRequest(method, chis.URL("api")+path, nil)
	if err != nil {
		t.Fatal(err)
	}

	for k, v := range hdr {
		req.Header.Set(k, v)
	}

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}

	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()

	return resp
}

// mustDecode decodes a JSON answer or fails the test.
func mustDecode(t *testing.T, body []byte, out any) {
	t.Helper()

	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
}

// with returns a copy of hdr with more headers set.
func with(hdr map[string]string, kv ...string) map[string]string {
	out := make(map[string]string, len(hdr)+len(kv)/2)
	for k, v := range hdr {
		out[k] = v
	}

	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}

	return out
}

// sendBody posts a raw /webhook/send body with the tenant's key.
func (tn tenant) sendBody(t *testing.T, body string, kv ...string) (int, []byte) {
	t.Helper()

	return call(t, "POST", "/webhook/send", with(tn.key(), kv...), body)
}

// asOrg is the tenant's bearer token acting on the organisation orgID.
func (tn tenant) asOrg(orgID string) map[string]string {
	return with(tn.bearer(), "X-Org-ID", orgID)
}

// openDB connects to the stack's database, for checking what was stored.
func openDB(t *testing.T) *pgx.Conn {
	t.Helper()

	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatalf("connect to the stack's database: %v", err)
	}

	t.Cleanup(func() { _ = conn.Close(context.Background()) })

	return conn
}

// countRows runs a count(*) query against the stack's database.
func countRows(t *testing.T, query string, args ...any) int {
	t.Helper()

	var n int
	if err := openDB(t).QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}

	return n
}

// orgMessages counts the messages stored for an organisation.
func orgMessages(t *testing.T, orgID string) int {
	t.Helper()

	return countRows(t, `SELECT count(*) FROM messages WHERE org_id = $1`, orgID)
}

// queuedIDs lists the message ids in Redis right now: the ready list and
// the retry schedule.
func queuedIDs(t *testing.T) []string {
	t.Helper()

	ctx := context.Background()
	rdb := testenv.Redis(t)

	ready, err := rdb.LRange(ctx, redisPrefix+":ready", 0, -1).Result()
	if err != nil {
		t.Fatalf("read the ready list: %v", err)
	}

	scheduled, err := rdb.ZRange(ctx, redisPrefix+":scheduled", 0, -1).Result()
	if err != nil {
		t.Fatalf("read the schedule: %v", err)
	}

	return append(ready, scheduled...)
}

// checkNothingQueuedFor fails if any id in Redis is a message of orgID.
// Ids that Postgres does not hold are passed over: other tests delete
// organisations whose retries are still scheduled.
func checkNothingQueuedFor(t *testing.T, orgID string) {
	t.Helper()

	conn := openDB(t)
	for _, id := range queuedIDs(t) {
		var owner string

		err := conn.QueryRow(context.Background(),
			`SELECT org_id::text FROM messages WHERE id = $1::uuid`,
			strings.TrimPrefix(id, "msg_")).Scan(&owner)
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}

		if err != nil {
			t.Fatalf("look up queued id %q: %v", id, err)
		}

		if owner == orgID {
			t.Fatalf("id %q of the organisation under test is in Redis", id)
		}
	}
}

// oneWinner wants exactly one of concurrent requests answered win and every
// other one 409.
func oneWinner(t *testing.T, what string, statuses []int, win int) {
	t.Helper()

	wins := 0
	for _, s := range statuses {
		switch s {
		case win:
			wins++
		case 409:
		default:
			t.Fatalf("%s answered %v", what, statuses)
		}
	}

	if wins != 1 {
		t.Fatalf("%s answered %v, want one %d", what, statuses, win)
	}
}
