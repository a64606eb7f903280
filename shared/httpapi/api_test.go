package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/grpc"

	deliveryv1 "github.com/chis-dev/chis/proto/chis/delivery/v1"
	"github.com/chis-dev/chis/shared/auth"
	"github.com/chis-dev/chis/shared/clock"
	"github.com/chis-dev/chis/shared/deliveryrpc"
	"github.com/chis-dev/chis/shared/guard"
	"github.com/chis-dev/chis/shared/httpapi"
	"github.com/chis-dev/chis/shared/testenv"
)

// api runs the API in this process with the production target guard (no
// allow-list), a real Delivery service and real stores.
func api(t *testing.T) (*httptest.Server, string) {
	t.Helper()

	store, dbURL := testenv.NewStore(t)
	q, _ := testenv.NewQueue(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	srv := grpc.NewServer(grpc.UnaryInterceptor(deliveryrpc.TokenInterceptor("tok")))
	deliveryv1.RegisterDeliveryServiceServer(srv,
		deliveryrpc.NewService(store, q, clock.System{}, log, 256<<10))

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}

	go func() { _ = srv.Serve(l) }()
	t.Cleanup(srv.Stop)

	client, err := deliveryrpc.Dial(l.Addr().String(), "tok")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })

	h := httpapi.New(httpapi.Deps{
		Store: store, Queue: q, Delivery: client, Targets: guard.New(nil), Clock: clock.System{},
		Tokens: auth.NewTokens(strings.Repeat("s", 32), time.Hour), Log: log, MaxPayload: 256 << 10,
	})

	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)

	return ts, dbURL
}

func do(t *testing.T, ts *httptest.Server, method, path, body string,
	hdr ...string) (int, map[string]any) {
	t.Helper()

	req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()

	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)

	return resp.StatusCode, out
}

// apiKey registers a user and returns a fresh API key of theirs.
func apiKey(t *testing.T, ts *httptest.Server) string {
	t.Helper()

	email := testenv.RandomHex(4) + "@example.com"
	do(t, ts, "POST", "/auth/register",
		`{"email":"`+email+`","password":"secret123","firstName":"P"}`)

	_, login := do(t, ts, "POST", "/auth/login", `{"email":"`+email+`","password":"secret123"}`)
	token, _ := login["token"].(string)

	status, key := do(t, ts, "POST", "/api/api-key/create", "", "Authorization", "Bearer "+token)
	if status != 201 {
		t.Fatalf("create key: %d %v", status, key)
	}

	return key["key"].(string)
}

// P07 and P08: with the guard on, every private or disguised target is
// refused at the API with a 422 on the url field, and nothing is stored.
func TestPrivateTargetsAreRefusedAtTheAPI(t *testing.T) {
	t.Parallel()

	ts, dbURL := api(t)
	key := apiKey(t, ts)

	refused := []string{
		"http://127.0.0.1/", "http://127.1/", "http://0.0.0.0:6379/", "http://[::]/",
		"http://[::1]/", "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/",
		"http://2130706433/", "http://0x7f000001/", "http://0177.0.0.1/",
		"http://[::ffff:127.0.0.1]/", "http://100.64.0.1/", "http://10.0.0.5/",
		"http://192.168.1.1/", "http://localhost./", "http://example.com@127.0.0.1/",
		"file:///etc/passwd", "gopher://127.0.0.1:6379/_x", "http://[fe80::1%25eth0]/",
		"http://[2001:db8::1]:8080/hook",
	}

	for _, u := range refused {
		body, _ := json.Marshal(map[string]any{"url": u, "payload": map[string]int{"a": 1}})

		status, out := do(t, ts, "POST", "/webhook/send", string(body), "X-API-Key", key)
		if status != 422 || !strings.Contains(toJSON(out["details"]), `"url"`) {
			t.Errorf("%s: %d %v, want 422 on url", u, status, out)
		}
	}

	status, out := do(t, ts, "POST", "/webhook/send",
		`{"url":"https://hooks.example.com/in","payload":{}}`, "X-API-Key", key)
	if status != 201 {
		t.Fatalf("public target: %d %v, want 201", status, out)
	}

	if n := countAll(t, dbURL); n != 1 {
		t.Fatalf("%d messages stored, want only the accepted one", n)
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// countAll counts every message; each test has a database of its own.
func countAll(t *testing.T, dbURL string) int {
	t.Helper()

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(ctx) }()

	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM messages`).Scan(&n); err != nil {
		t.Fatal(err)
	}

	return n
}

// Sign-in attempts beyond the limit from one address get a 429 with
// Retry-After; another address, named by a trusted proxy, is counted apart.
func TestSignInIsRateLimited(t *testing.T) {
	t.Parallel()

	store, _ := testenv.NewStore(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := httpapi.New(httpapi.Deps{
		Store: store, Clock: clock.System{}, Log: log, AuthRateLimit: 3,
		TrustedProxies: []string{"127.0.0.1/32"},
		Tokens:         auth.NewTokens(strings.Repeat("s", 32), time.Hour),
	})
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)

	login := func(forwardedFor string) *http.Response {
		req, _ := http.NewRequest("POST", ts.URL+"/auth/login",
			strings.NewReader(`{"email":"x@example.com","password":"wrong-password"}`))
		req.Header.Set("X-Forwarded-For", forwardedFor)

		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()

		return resp
	}

	for i := range 3 {
		if resp := login("203.0.113.7"); resp.StatusCode != 401 {
			t.Fatalf("attempt %d: %d, want 401", i+1, resp.StatusCode)
		}
	}

	resp := login("203.0.113.7")
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("fourth attempt: %d (Retry-After %q), want 429 with Retry-After",
			resp.StatusCode, resp.Header.Get("Retry-After"))
	}

	if resp := login("198.51.100.9"); resp.StatusCode != 401 {
		t.Fatalf("another client: %d, want 401", resp.StatusCode)
	}
}

// The dashboard is served for its own paths, with headers that keep it from
// being framed or fed foreign scripts; API paths stay JSON 404s.
func TestDashboardIsServedOutsideAPIPaths(t *testing.T) {
	t.Parallel()

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<html>chis</html>"),
		0o600); err != nil {
		t.Fatal(err)
	}

	h := httpapi.New(httpapi.Deps{Clock: clock.System{}, DashboardDir: dir,
		Log:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Tokens: auth.NewTokens(strings.Repeat("s", 32), time.Hour)})

	for path, want := range map[string]string{
		"/": "text/html", "/logs/123": "text/html", "/healthcheck": "text/html",
		"/api/nothing": "application/json", "/auth/nothing": "application/json",
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))

		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, want) {
			t.Errorf("GET %s: %s, want %s", path, ct, want)
		}

		if want == "text/html" && (rec.Header().Get("X-Frame-Options") != "DENY" ||
			!strings.Contains(rec.Header().Get("Content-Security-Policy"), "'self'")) {
			t.Errorf("GET %s: page served without its security headers", path)
		}
	}
}
