package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chis-dev/chis/shared/testenv"
)

// call makes one request to the API and returns the status and body.
func call(t testing.TB, method, path string, hdr map[string]string, body string) (int, []byte) {
	t.Helper()

	req, err := http.NewRequest(method, chis.URL("api")+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}

	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}

	for k, v := range hdr {
		req.Header.Set(k, v)
	}

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer func() { _ = resp.Body.Close() }()

	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}

	return resp.StatusCode, b
}

// callJSON is call that wants a status and decodes the answer into out.
func callJSON(t testing.TB, want int, method, path string, hdr map[string]string, body string,
	out any) {
	t.Helper()

	status, b := call(t, method, path, hdr, body)
	if status != want {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, status, want, b)
	}

	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, b, err)
		}
	}
}

// tenant is one registered user with their organisation, key and secret.
type tenant struct {
	email  string
	token  string
	apiKey string
	secret string
	orgID  string
}

func (tn tenant) bearer() map[string]string {
	return map[string]string{"Authorization": "Bearer " + tn.token}
}

func (tn tenant) key() map[string]string {
	return map[string]string{"X-API-Key": tn.apiKey}
}

// newTenant registers a user and sets up what sending needs, through the API.
func newTenant(t testing.TB) tenant {
	t.Helper()

	tn := tenant{email: "user-" + testenv.RandomHex(4) + "@example.com"}
	callJSON(t, 201, "POST", "/auth/register", nil, `{"email":"`+tn.email+
		`","password":"secret123","firstName":"Test","lastName":"User"}`, nil)

	var login struct{ Token string }
	callJSON(t, 200, "POST", "/auth/login", nil,
		`{"email":"`+tn.email+`","password":"secret123"}`, &login)
	tn.token = login.Token

	var key struct{ Key string }
	callJSON(t, 201, "POST", "/api/api-key/create", tn.bearer(), "", &key)
	tn.apiKey = key.Key

	var secret struct{ SigningSecret string }
	callJSON(t, 200, "GET", "/api/org/signing-secret", tn.bearer(), "", &secret)
	tn.secret = secret.SigningSecret

	var orgs []struct{ ID string }
	callJSON(t, 200, "GET", "/api/orgs", tn.bearer(), "", &orgs)
	tn.orgID = orgs[0].ID

	return tn
}

// send posts a webhook with the tenant's key and returns the message id.
func (tn tenant) send(t *testing.T, url, payload string) string {
	t.Helper()

	var resp struct{ MessageID, Status string }
	callJSON(t, 201, "POST", "/webhook/send", tn.key(),
		`{"url":"`+url+`","payload":`+payload+`}`, &resp)

	if resp.Status != "pending" {
		t.Fatalf("new message status %q, want pending", resp.Status)
	}

	return resp.MessageID
}

type attempt struct {
	AttemptNumber int
	StatusCode    *int
	ErrorClass    string
	ErrorMessage  string
	DurationMs    int64
	AttemptedAt   time.Time
}

type detail struct {
	ID               string
	Status           string
	Payload          json.RawMessage
	AttemptCount     int
	DeliveryAttempts []attempt
}

// waitFinal polls the message until it is success or failed.
func (tn tenant) waitFinal(t *testing.T, id string, within time.Duration) detail {
	t.Helper()

	var d detail
	eventually(t, within, func() bool {
		callJSON(t, 200, "GET", "/api/webhook-logs/"+id, tn.bearer(), "", &d)
		return d.Status == "success" || d.Status == "failed"
	})

	return d
}

// eventually polls cond every 100 ms until it holds or within has passed.
func eventually(t *testing.T, within time.Duration, cond func() bool) {
	t.Helper()

	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()

	deadline := time.After(within)
	for !cond() {
		select {
		case <-deadline:
			t.Fatalf("condition not met within %v", within)
		case <-tick.C:
		}
	}
}

// delivery is one request a receiver got.
type delivery struct {
	header http.Header
	body   []byte
	at     time.Time
}

// receiver is a real HTTP server that records deliveries and answers with
// the status its script gives for the n-th request (1-based).
type receiver struct {
	*httptest.Server

	mu     sync.Mutex
	got    []delivery
	status func(n int) int
}

func newReceiver(t *testing.T, status func(n int) int) *receiver {
	t.Helper()

	r := &receiver{status: status}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)

	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)

	r.mu.Lock()
	r.got = append(r.got, delivery{header: req.Header.Clone(), body: body, at: time.Now()})
	n := len(r.got)
	r.mu.Unlock()

	w.WriteHeader(r.status(n))
	_, _ = io.Copy(w, bytes.NewReader([]byte(`{"ok":true}`)))
}

func (r *receiver) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()

	return append([]delivery(nil), r.got...)
}

func always(code int) func(int) int { return func(int) int { return code } }
